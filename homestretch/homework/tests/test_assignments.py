from datetime import timedelta

import pytest
from django.test import Client

from homestretch.accounts.testing import make_alice, make_bob
from homestretch.finder.testing import make_expired, make_instructor
from homestretch.homework.models import Assignment
from homestretch.homework.testing import make_assignment, make_consent, make_teacher
from homestretch.library.testing import make_sequence
from homestretch.programs.models import PracticeLog


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form(sequence_ids: list[int], start, end, **extra: object) -> dict[str, object]:
    return {
        "sequences": sequence_ids,
        "schedule": "weekdays",
        "weekdays": ["1", "4"],
        "starts_on": start.isoformat(),
        "ends_on": end.isoformat(),
        "note": "Slowly, and stop if it hurts.",
        **extra,
    }


@pytest.mark.django_db
def test_an_instructor_with_a_valid_credential_assigns_homework_the_client_sees() -> None:
    bob, alice = make_bob(), make_alice()
    consent = make_consent(make_teacher(bob), alice)
    clock, bridge = make_sequence("pelvic-clock"), make_sequence("bridge")
    today = alice.local_today()
    response = _as(bob).post(
        f"/studio/clients/{consent.pk}/assign/",
        _form([clock.pk, bridge.pk], today, today + timedelta(days=27)),
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert (assignment.weekdays, assignment.times_per_week) == ([1, 4], None)
    assert set(assignment.sequences.all()) == {clock, bridge}

    member = _as(alice)
    me = member.get("/me/").content.decode()
    assert "Homework from Bob" in me
    assert "Slowly, and stop if it hurts." in me
    assert "Monday, Thursday" in me
    home = member.get("/")
    assert "Homework from Bob" in home.content.decode()
    assert home["Cache-Control"] == "private, no-store"
    assert "Homework from" not in Client().get("/").content.decode()


@pytest.mark.django_db
def test_times_a_week_homework_needs_a_number() -> None:
    bob, alice = make_bob(), make_alice()
    consent = make_consent(make_teacher(bob), alice)
    clock = make_sequence("pelvic-clock")
    today = alice.local_today()
    url = f"/studio/clients/{consent.pk}/assign/"
    form = _form([clock.pk], today, today + timedelta(days=6), schedule="per_week", weekdays=[])
    assert _as(bob).post(url, form).status_code == 400
    assert _as(bob).post(url, {**form, "times_per_week": "3"}).status_code == 302
    assert Assignment.objects.get().times_per_week == 3


@pytest.mark.django_db
@pytest.mark.parametrize("credential", ["none", "expired"])
def test_assigning_needs_at_least_one_valid_credential(credential: str) -> None:
    bob, alice = make_bob(), make_alice()
    instructor = make_instructor("Bob", user=bob)
    if credential == "expired":
        make_expired(instructor)
    consent = make_consent(instructor, alice)
    clock = make_sequence("pelvic-clock")
    today = alice.local_today()
    teacher = _as(bob)
    assert (
        "needs at least one valid credential"
        in teacher.get(f"/studio/clients/{consent.pk}/").content.decode()
    )
    response = teacher.post(
        f"/studio/clients/{consent.pk}/assign/", _form([clock.pk], today, today)
    )
    assert response.status_code == 403
    assert Assignment.objects.count() == 0


@pytest.mark.django_db
def test_dates_in_the_past_and_draft_sequences_are_refused() -> None:
    bob, alice = make_bob(), make_alice()
    consent = make_consent(make_teacher(bob), alice)
    draft = make_sequence("draft", status="draft")
    clock = make_sequence("pelvic-clock")
    today = alice.local_today()
    teacher = _as(bob)
    url = f"/studio/clients/{consent.pk}/assign/"
    old = teacher.post(url, _form([clock.pk], today - timedelta(days=30), today - timedelta(1)))
    assert old.status_code == 400
    assert teacher.post(url, _form([draft.pk], today, today)).status_code == 400
    backwards = teacher.post(url, _form([clock.pk], today + timedelta(days=3), today))
    assert backwards.status_code == 400
    assert Assignment.objects.count() == 0


@pytest.mark.django_db
def test_logging_a_homework_sequence_goes_into_the_practice_log() -> None:
    bob, alice = make_bob(), make_alice()
    consent = make_consent(make_teacher(bob), alice)
    today = alice.local_today()
    assignment = make_assignment(consent, starts_on=today, ends_on=today + timedelta(days=7))
    sequence = assignment.sequences.get()
    other = make_sequence("not-homework")
    member = _as(alice)
    # Alice has no library access: homework is hers to log all the same.
    data = {"sequence": sequence.slug, "done": "true", "pain_before": "6", "pain_after": "4"}
    assert member.post("/me/logs/new/", data).status_code == 302
    assert member.post("/me/logs/new/", {**data, "pain_after": "3"}).status_code == 302
    log = PracticeLog.objects.get()  # the same day's log, edited
    assert (log.local_date, log.pain_before, log.pain_after) == (today, 6, 3)
    assert member.post("/me/logs/new/", {**data, "sequence": other.slug}).status_code == 400
    assert PracticeLog.objects.count() == 1
    assert 'data-api="/api/me/logs"' in member.get("/me/").content.decode()
    assert "felt" not in _as(bob).get("/studio/clients/").content.decode()
    dashboard = _as(bob).get(f"/studio/clients/{consent.pk}/").content.decode()
    assert "Pelvic Clock" in dashboard


@pytest.mark.django_db
def test_ending_homework_early_keeps_the_past_and_stops_the_future() -> None:
    bob, alice = make_bob(), make_alice()
    consent = make_consent(make_teacher(bob), alice)
    today = alice.local_today()
    started = make_assignment(
        consent, starts_on=today - timedelta(days=10), ends_on=today + timedelta(days=10)
    )
    future = make_assignment(consent, starts_on=today, ends_on=today + timedelta(days=10))
    teacher = _as(bob)
    for assignment in (started, future):
        url = f"/studio/clients/{consent.pk}/assignments/{assignment.pk}/end/"
        assert teacher.post(url).status_code == 302
    started.refresh_from_db()
    assert started.ends_on == today - timedelta(days=1)
    assert not Assignment.objects.filter(pk=future.pk).exists()
    assert "Homework from" not in _as(alice).get("/me/").content.decode()


@pytest.mark.django_db
def test_homework_due_for_reminders_follows_the_schedule() -> None:
    from datetime import date

    from homestretch.homework.services import homework_due
    from homestretch.programs.testing import make_log

    bob, alice = make_bob(), make_alice()
    consent = make_consent(make_teacher(bob), alice)
    monday = date(2025, 3, 10)
    weekly = make_assignment(
        consent, weekdays=(1, 3), starts_on=monday, ends_on=monday + timedelta(days=30)
    )
    assert homework_due(alice, monday) == [weekly]
    assert homework_due(alice, monday + timedelta(days=1)) == []
    weekly.delete()
    twice = make_assignment(
        consent, times_per_week=2, starts_on=monday, ends_on=monday + timedelta(days=30)
    )
    sequence = twice.sequences.get()
    assert homework_due(alice, monday + timedelta(days=1)) == [twice]
    make_log(alice, on=monday, sequence=sequence)
    make_log(alice, on=monday + timedelta(days=1), sequence=sequence)
    assert homework_due(alice, monday + timedelta(days=2)) == []  # twice done this week
    assert homework_due(alice, monday + timedelta(days=7)) == [twice]  # a new week
    consent_revoke_now(consent)
    assert homework_due(alice, monday + timedelta(days=7)) == []


def consent_revoke_now(consent) -> None:
    from homestretch.homework.services import consent_revoke

    consent_revoke(consent=consent)
