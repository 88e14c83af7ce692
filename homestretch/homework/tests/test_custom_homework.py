"""A custom sequence as homework: assigned as its version, shown under "Homework from …",
played by the client (with the studio's setting, without a subscription), logged from
/me/ like the sequences beside it, and nobody else's to open."""

from datetime import timedelta

import pytest
from django.test import override_settings

from homestretch.accounts.testing import log_in, make_alice, make_bob, make_charlie, make_user
from homestretch.custom.testing import item, make_custom, make_source
from homestretch.homework import services
from homestretch.homework.access import plays_as_homework
from homestretch.homework.models import Assignment
from homestretch.homework.testing import assign_custom, make_consent, make_teacher
from homestretch.programs.models import PracticeLog

pytestmark = pytest.mark.django_db
PLAYS = ["homestretch.homework.access.plays_as_homework"]


def _assigned():
    bob = make_bob()
    teacher = make_teacher(bob)
    alice = make_alice()
    consent = make_consent(teacher, alice)
    clock = make_source("pelvic-clock")
    bridges = make_source("bridges", chapters=((0, "Bridge"),))
    version = make_custom(bob, [item(clock, 6, reps=10), item(bridges, 0)])
    assignment = assign_custom(consent, version)
    return alice, assignment, version, clock


def test_the_client_sees_and_opens_the_custom_sequence_assigned_to_them() -> None:
    alice, assignment, _, clock = _assigned()
    client = log_in(alice)
    me = client.get("/me/").content.decode()
    assert "Homework from" in me
    assert f"/me/homework/{assignment.pk}/custom/" in me
    assert "version 1" in me
    page = client.get(f"/me/homework/{assignment.pk}/custom/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Pelvic clock" in html
    # Without a subscription and the studio's setting off, homework follows the paywall.
    assert "data-master" not in html
    with override_settings(LIBRARY_PLAY_RULES=PLAYS):
        assert "data-master" in client.get(f"/me/homework/{assignment.pk}/custom/").content.decode()
    assert plays_as_homework(alice, clock)
    assert not plays_as_homework(make_charlie(), clock)


def test_an_edit_after_assigning_leaves_the_assigned_version() -> None:
    alice, assignment, version, clock = _assigned()
    from homestretch.custom.services import custom_sequence_save

    custom_sequence_save(
        owner=version.custom_sequence.owner,
        title="Changed",
        items=[item(clock, 0)],
        custom_sequence=version.custom_sequence,
    )
    html = log_in(alice).get(f"/me/homework/{assignment.pk}/custom/").content.decode()
    assert "SI joint rescue" in html
    assert "version 1" in html


def test_someone_elses_homework_is_not_found() -> None:
    _, assignment, _, _ = _assigned()
    charlie = make_charlie()
    assert log_in(charlie).get(f"/me/homework/{assignment.pk}/custom/").status_code == 404


def test_another_instructors_draft_cannot_be_assigned() -> None:
    _, _, version, _ = _assigned()
    dana = make_user("dana@example.com", display_name="Dana")
    teacher = make_teacher(dana)
    client = make_user("erin@example.com", display_name="Erin")
    consent = make_consent(teacher, client)
    today = client.local_today()
    with pytest.raises(services.HomeworkError, match="belongs to another instructor"):
        services.assignment_create(
            consent=consent,
            sequences=[],
            custom_version=version,
            schedule=services.Schedule(weekdays=frozenset({1})),
            starts_on=today,
            ends_on=today + timedelta(days=6),
        )


def test_me_offers_a_log_form_for_the_custom_homework_as_for_its_sequences() -> None:
    alice, assignment, version, clock = _assigned()
    assignment.sequences.add(clock)
    client = log_in(alice)
    me = client.get("/me/").content.decode()
    # One form per thing assigned: the custom sequence, named by id and version, and the sequence.
    assert me.count("<summary>Log today's practice</summary>") == 2
    assert f'name="custom_sequence" value="{version.custom_sequence_id}"' in me
    assert 'name="version" value="1"' in me
    assert f'id="id_hw{assignment.pk}_custom_pain_before"' in me
    form = {
        "custom_sequence": version.custom_sequence_id,
        "version": 1,
        "done": "true",
        "pain_before": "6",
        "pain_after": "4",
        "next": "/me/",
    }
    response = client.post("/me/logs/new/", form)
    assert response.status_code == 302
    assert response["Location"] == "/me/"
    log = PracticeLog.objects.get(user=alice)
    assert (log.custom_version, log.sequence, log.pain_after) == (version, None, 4)


def test_homework_that_starts_later_has_no_log_form_yet() -> None:
    alice, assignment, _, _ = _assigned()
    Assignment.objects.filter(pk=assignment.pk).update(
        starts_on=assignment.starts_on + timedelta(days=2),
        ends_on=assignment.ends_on + timedelta(days=2),
    )
    me = log_in(alice).get("/me/").content.decode()
    assert "SI joint rescue" in me
    assert 'name="custom_sequence"' not in me
