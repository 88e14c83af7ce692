"""The custom-sequence API: read with moves and playback URL, create and edit one's own."""

import json

import pytest
from django.test import Client

from homestretch.accounts.testing import log_in, make_alice, make_bob, make_user
from homestretch.billing.testing import give_access
from homestretch.custom.models import CustomSequence
from homestretch.custom.testing import item, make_custom, make_source
from homestretch.homework.testing import make_teacher

pytestmark = pytest.mark.django_db


def _post(client: Client, url: str, body: dict, method: str = "post"):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def test_an_instructor_creates_and_edits_a_custom_sequence() -> None:
    bob = make_bob()
    make_teacher(bob)
    clock = make_source("pelvic-clock")
    client = log_in(bob)
    moves: list[dict[str, object]] = [{"move": f"{clock.pk}:6", "reps": 8}]
    body = {"title": "Rescue", "moves": moves}
    created = _post(client, "/api/custom-sequences", body)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["version"] == 1
    assert data["moves"][0]["title"] == "Pelvic clock"
    assert data["moves"][0]["reps"] == 8
    moves.append({"move": f"{clock.pk}:0"})
    edited = _post(client, f"/api/custom-sequences/{data['id']}", body, "put")
    assert edited.status_code == 200
    assert edited.json()["version"] == 2
    assert len(edited.json()["moves"]) == 2


def test_bad_input_is_a_400_with_the_reason_and_saves_nothing() -> None:
    bob = make_bob()
    make_teacher(bob)
    clock = make_source("pelvic-clock")
    client = log_in(bob)
    for moves, reason in (
        ([], "Add at least one move."),
        ([{"move": f"{clock.pk}:3"}], "Move 1 no longer exists"),
        ([{"move": "nope"}], "Move 1 no longer exists"),
        ([{"move": f"{clock.pk}:0", "note": "x" * 141}], "keep it to 140"),
    ):
        response = _post(client, "/api/custom-sequences", {"title": "R", "moves": moves})
        assert response.status_code == 400
        assert reason in response.json()["error"]["message"]
    assert CustomSequence.objects.count() == 0


def test_another_instructor_gets_404_and_a_member_403() -> None:
    bob = make_bob()
    make_teacher(bob)
    clock = make_source("pelvic-clock")
    version = make_custom(bob, [item(clock, 0)])
    dana = make_user("dana@example.com", display_name="Dana")
    make_teacher(dana)
    url = f"/api/custom-sequences/{version.custom_sequence_id}"
    body = {"title": "Mine", "moves": [{"move": f"{clock.pk}:0"}]}
    assert log_in(dana).get(url).status_code == 404
    assert _post(log_in(dana), url, body, "put").status_code == 404
    assert _post(log_in(make_alice()), url, body, "put").status_code == 403
    assert _post(Client(), "/api/custom-sequences", body).status_code == 401
    assert version.custom_sequence.versions.count() == 1


def test_a_published_one_reads_with_playback_urls_for_a_member_with_access() -> None:
    bob = make_bob()
    make_teacher(bob)
    clock = make_source("pelvic-clock")
    version = make_custom(bob, [item(clock, 6), item(clock, 0)])
    CustomSequence.objects.update(status=CustomSequence.Status.PUBLISHED)
    alice = make_alice()
    url = f"/api/custom-sequences/{version.custom_sequence_id}"
    client = log_in(alice)
    assert client.get(url).json()["master_url"] is None
    give_access(alice)
    data = client.get(url).json()
    assert data["can_watch"] is True
    assert data["master_url"].startswith(f"/custom/{version.custom_sequence_id}/v1/master.m3u8?")
    assert [m["starts_at"] for m in data["moves"]] == [2.0, 14.0]
    assert client.get(data["master_url"]).status_code == 200
