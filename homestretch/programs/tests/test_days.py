"""Program days: which are open under each unlock rule, pausing, and the day pages."""

from datetime import date, timedelta

import pytest
from django.test import Client
from freezegun import freeze_time

from homestretch.accounts.models import User
from homestretch.accounts.testing import log_in, make_alice, make_charlie
from homestretch.billing.testing import give_access
from homestretch.library.models import Sequence
from homestretch.programs import services
from homestretch.programs.models import Enrollment, Program
from homestretch.programs.progress import unlocked_days
from homestretch.programs.state import enrollment_state
from homestretch.programs.testing import make_enrollment, make_log, make_program

START = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (START - timedelta(days=1), 0),
        (START, 1),
        (START + timedelta(days=6), 7),
        (date(2027, 1, 1), 28),
    ],
)
def test_by_calendar_one_day_opens_each_day(today: date, expected: int) -> None:
    assert (
        unlocked_days(unlock="calendar", total_days=28, start_date=START, today=today) == expected
    )


@pytest.mark.parametrize(
    ("logged", "expected"),
    [(set(), 1), ({1}, 2), ({1, 2, 3}, 4), ({1, 3}, 2), ({2, 3}, 1), (set(range(1, 40)), 28)],
)
def test_by_logging_the_next_day_opens_once_the_day_before_is_logged(
    logged: set[int], expected: int
) -> None:
    today = START + timedelta(days=60)  # the calendar plays no part
    result = unlocked_days(
        unlock="logging", total_days=28, start_date=START, today=today, logged_days=logged
    )
    assert result == expected


def test_by_logging_nothing_opens_before_the_start_date() -> None:
    before = START - timedelta(days=1)
    assert unlocked_days(unlock="logging", total_days=28, start_date=START, today=before) == 0


def _member() -> tuple[User, Client]:
    alice = make_alice()
    give_access(alice)
    return alice, log_in(alice)


@pytest.mark.django_db
def test_logging_a_program_day_opens_the_next_one() -> None:
    program = make_program(unlock=Program.Unlock.LOGGING)
    alice, _ = _member()
    enrollment = make_enrollment(alice, program)
    assert enrollment_state(enrollment).unlocked == 1
    sequence = Sequence.objects.get(slug="si-stability-practice-1")
    make_log(alice, sequence, alice.local_today(), enrollment=enrollment, day=1)
    assert enrollment_state(enrollment).unlocked == 2
    make_log(
        alice,
        sequence,
        alice.local_today() - timedelta(days=1),
        done=False,
        enrollment=enrollment,
        day=2,
    )
    assert enrollment_state(enrollment).unlocked == 2  # a log of "not done" opens nothing


@pytest.mark.django_db
def test_a_pause_holds_the_calendar_and_resuming_carries_on_where_it_stopped() -> None:
    program = make_program()
    alice, _ = _member()
    with freeze_time("2026-03-02 09:00"):
        enrollment = make_enrollment(alice, program, start_date=START)
    with freeze_time("2026-03-05 09:00"):  # day 4
        services.enrollment_pause(enrollment=enrollment)
    with freeze_time("2026-03-15 09:00"):
        enrollment.refresh_from_db()
        assert enrollment_state(enrollment).unlocked == 4
        services.enrollment_resume(enrollment=enrollment)
        enrollment.refresh_from_db()
        assert enrollment_state(enrollment).unlocked == 4
        assert enrollment.start_date == START + timedelta(days=10)
    with freeze_time("2026-03-16 09:00"):
        assert enrollment_state(enrollment).unlocked == 5


@pytest.mark.django_db
def test_the_day_page_shows_an_open_day_and_redirects_from_a_locked_one() -> None:
    program = make_program()
    alice, client = _member()
    make_enrollment(alice, program)
    response = client.get("/programs/si-stability/day/1/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    html = response.content.decode()
    assert "Si Stability practice 1" in html
    assert "/library/si-stability-practice-1/?program=si-stability&amp;day=1" in html
    assert "data-log-form" in html
    locked = client.get("/programs/si-stability/day/2/")
    assert locked.status_code == 302
    assert client.get("/programs/si-stability/day/99/").status_code == 404


@pytest.mark.django_db
def test_day_pages_are_404_to_members_not_in_the_program() -> None:
    program = make_program()
    alice, _ = _member()
    make_enrollment(alice, program)
    charlie = make_charlie()
    give_access(charlie)
    other = log_in(charlie)
    assert other.get("/programs/si-stability/day/1/").status_code == 404
    assert other.get("/programs/si-stability/day/14/check/").status_code == 404
    assert other.post("/programs/si-stability/pause/").status_code == 404
    assert Client().get("/programs/si-stability/day/1/").status_code == 302  # to log in


@pytest.mark.django_db
def test_pause_resume_and_leave_from_the_program_page() -> None:
    program = make_program()
    alice, client = _member()
    enrollment = make_enrollment(alice, program)
    client.post("/programs/si-stability/pause/")
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.PAUSED
    assert "Paused since" in client.get("/programs/si-stability/").content.decode()
    client.post("/programs/si-stability/resume/")
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.ACTIVE
    client.post("/programs/si-stability/leave/")
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.LEFT
    assert "Start with the self-check" in client.get("/programs/si-stability/").content.decode()


@pytest.mark.django_db
def test_the_checkpoint_opens_on_its_day_and_stores_the_outcome_check() -> None:
    program = make_program()
    alice, client = _member()
    today = alice.local_today()
    enrollment = make_enrollment(alice, program, start_date=today - timedelta(days=13))
    page = client.get("/programs/si-stability/day/14/check/")
    assert page.status_code == 200
    assert 'value="Climbing stairs"' in page.content.decode()  # the baseline's own activity
    assert client.get("/programs/si-stability/day/28/check/").status_code == 404
    response = client.post(
        "/programs/si-stability/day/14/check/",
        {"pain_now": "3", "pain_week": "3", "activity_1": "Climbing stairs", "score_1": "7"},
    )
    assert response.status_code == 302
    check = enrollment.outcomes.get(day=14)
    assert (check.pain_now, check.pain_week, check.psfs) == (
        3,
        3,
        [{"activity": "Climbing stairs", "score": 7}],
    )
    bad = client.post("/programs/si-stability/day/14/check/", {"pain_now": "12", "pain_week": "3"})
    assert bad.status_code == 400
    check.refresh_from_db()
    assert check.pain_now == 3
