"""The custom-sequence builder's pages: who may use them, saving, errors, versions."""

import pytest
from django.test import Client

from homestretch.accounts.testing import log_in, make_alice, make_bob, make_user
from homestretch.custom.models import CustomSequence
from homestretch.custom.testing import item, make_custom, make_source
from homestretch.homework.testing import make_teacher

pytestmark = pytest.mark.django_db


def _form(title: str, rows: list[dict[str, str]]) -> dict[str, object]:
    fields = ("move", "reps", "hold", "side", "cue_note", "rest")
    data: dict[str, object] = {"title": title, "note": "Daily."}
    for field in fields:
        data[field] = [row.get(field, "") for row in rows]
    return data


def test_anonymous_visitors_log_in_and_members_are_refused() -> None:
    assert Client().get("/studio/sequences/").status_code == 302
    assert log_in(make_alice()).get("/studio/sequences/new/").status_code == 403


def test_an_instructor_builds_a_custom_sequence_and_edits_it_into_a_new_version() -> None:
    bob = make_bob()
    make_teacher(bob)
    clock = make_source("pelvic-clock")
    client = log_in(bob)
    page = client.get("/studio/sequences/new/")
    assert page.status_code == 200
    assert f'data-key="{clock.pk}:6"' in page.content.decode()
    response = client.post(
        "/studio/sequences/new/",
        _form(
            "Rescue",
            [{"move": f"{clock.pk}:6", "reps": "10", "side": "left"}, {"move": f"{clock.pk}:0"}],
        ),
    )
    assert response.status_code == 302
    custom = CustomSequence.objects.get()
    assert [i.title for i in custom.versions.get(number=1).items.all()] == [
        "Pelvic clock",
        "Warm up",
    ]
    edit = client.get(f"/studio/sequences/{custom.pk}/edit/").content.decode()
    assert 'value="10"' in edit
    client.post(
        f"/studio/sequences/{custom.pk}/edit/", _form("Rescue", [{"move": f"{clock.pk}:0"}])
    )
    assert custom.versions.count() == 2
    assert "Rescue" in client.get("/studio/sequences/").content.decode()


def test_a_bad_row_is_shown_again_with_the_error_and_nothing_is_saved() -> None:
    bob = make_bob()
    make_teacher(bob)
    clock = make_source("pelvic-clock")
    client = log_in(bob)
    response = client.post(
        "/studio/sequences/new/",
        _form("Rescue", [{"move": f"{clock.pk}:0", "cue_note": "x" * 141}]),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Move 1: the cue note is 141 characters" in html
    assert 'name="move" value="' + f"{clock.pk}:0" in html
    assert client.post("/studio/sequences/new/", _form("Rescue", [])).status_code == 400
    assert (
        client.post("/studio/sequences/new/", _form("Rescue", [{"move": "x"}])).status_code == 400
    )
    assert (
        client.post(
            "/studio/sequences/new/", _form("Rescue", [{"move": f"{clock.pk}:0", "reps": "ten"}])
        ).status_code
        == 400
    )
    assert CustomSequence.objects.count() == 0


def test_another_instructors_custom_sequence_is_not_found() -> None:
    bob = make_bob()
    make_teacher(bob)
    clock = make_source("pelvic-clock")
    version = make_custom(bob, [item(clock, 0)])
    dana = make_user("dana@example.com", display_name="Dana")
    make_teacher(dana)
    client = log_in(dana)
    url = f"/studio/sequences/{version.custom_sequence_id}/edit/"
    assert client.get(url).status_code == 404
    assert client.post(url, _form("Mine", [{"move": f"{clock.pk}:6"}])).status_code == 404
    assert version.custom_sequence.versions.count() == 1
