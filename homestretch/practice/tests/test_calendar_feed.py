"""/programs/calendar/<token>.ics: the member's upcoming program days, read by a calendar."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.urls import resolve
from freezegun import freeze_time
from icalendar import Calendar

from homestretch.accounts.testing import make_alice
from homestretch.library.testing import make_sequence
from homestretch.practice.models import CalendarFeed
from homestretch.practice.testing import make_moves_program, make_reminder
from homestretch.programs.models import Enrollment, PracticeLog, Program
from homestretch.programs.testing import make_enrollment

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def _urls_loaded() -> None:
    """Load the URLconf before a test freezes time: the API builds its pydantic schemas on
    import, and they cannot describe freezegun's fake datetime class."""
    resolve("/")


def _feed(client: Client, feed: CalendarFeed) -> Calendar:
    response = client.get(f"/programs/calendar/{feed.token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    return Calendar.from_ical(response.content)


@freeze_time("2026-06-01 10:00")  # Monday; day 8 of a program that began on 25 May
def test_it_lists_the_next_program_days_at_the_reminder_time_or_all_day(client: Client) -> None:
    alice = make_alice()
    make_enrollment(alice, make_moves_program(), start_date=date(2026, 5, 25))
    make_reminder(alice, at=time(7, 30), weekdays=(1, 3, 5), timezone="Europe/Berlin")
    feed = CalendarFeed.objects.create(user=alice)

    events = _feed(client, feed).walk("VEVENT")
    # Days 8 to 28: the program ends within the feed's four weeks.
    assert [str(e["summary"]) for e in events] == [
        f"Homestretch: Day {n} \N{EN DASH} Move {n}" for n in range(8, 29)
    ]
    monday, tuesday = events[0], events[1]
    start = monday.decoded("dtstart")
    assert start == datetime(2026, 6, 1, 7, 30, tzinfo=BERLIN)
    assert str(start.tzinfo) == "Europe/Berlin"
    assert "DTSTART;TZID=Europe/Berlin:20260601T073000" in monday.to_ical().decode()
    assert monday.decoded("dtend") - start == timedelta(minutes=30)
    assert str(monday["url"]) == f"{settings.SITE_URL}/programs/si-joint/day/8/"
    # No reminder on Tuesdays: an all-day event.
    assert tuesday.decoded("dtstart") == date(2026, 6, 2)
    assert tuesday.decoded("dtend") == date(2026, 6, 3)
    # Each day's UID stays put from one fetch to the next.
    assert len({str(e["uid"]) for e in events}) == len(events)
    assert [c.name for c in _feed(client, feed).walk("VTIMEZONE")] == ["VTIMEZONE"]


@freeze_time("2026-10-20 12:00")
def test_timed_events_keep_the_local_time_across_the_change_to_winter_time(client: Client) -> None:
    alice = make_alice()
    make_enrollment(alice, make_moves_program(), start_date=date(2026, 10, 20))
    make_reminder(alice, at=time(7, 30), timezone="Europe/Berlin")
    feed = CalendarFeed.objects.create(user=alice)
    starts = {
        e.decoded("dtstart").date(): e.decoded("dtstart")
        for e in _feed(client, feed).walk("VEVENT")
    }
    assert starts[date(2026, 10, 24)].isoformat() == "2026-10-24T07:30:00+02:00"
    assert starts[date(2026, 10, 26)].isoformat() == "2026-10-26T07:30:00+01:00"


@freeze_time("2026-06-01 10:00")
def test_a_by_logging_program_shows_only_the_next_day_today(client: Client) -> None:
    alice = make_alice()
    program = make_moves_program("gentle-start", unlock=Program.Unlock.LOGGING, days=5)
    enrollment = make_enrollment(alice, program, start_date=date(2026, 5, 20))
    PracticeLog.objects.create(
        user=alice,
        sequence=make_sequence(),
        enrollment=enrollment,
        program_day=1,
        logged_at=datetime(2026, 5, 20, 8, tzinfo=BERLIN),
        local_date=date(2026, 5, 20),
    )
    feed = CalendarFeed.objects.create(user=alice)
    [event] = _feed(client, feed).walk("VEVENT")  # no reminder: all day
    assert str(event["summary"]) == "Homestretch: Day 2 \N{EN DASH} Move 2"
    assert event.decoded("dtstart") == date(2026, 6, 1)


@freeze_time("2026-06-01 10:00")
def test_the_feed_never_holds_pain_notes_or_self_check_answers(client: Client) -> None:
    alice = make_alice()
    enrollment = make_enrollment(alice, make_moves_program(), start_date=date(2026, 5, 25))
    enrollment.self_check.red_flag_answers = [
        {"question": "A history of cancer", "urgent": False, "answer": False}
    ]
    enrollment.self_check.save()
    PracticeLog.objects.create(
        user=alice,
        sequence=make_sequence(),
        enrollment=enrollment,
        program_day=7,
        logged_at=datetime(2026, 5, 31, 8, tzinfo=BERLIN),
        local_date=date(2026, 5, 31),
        pain_before=9,
        pain_after=8,
        note="Left hip flared after the stairs",
    )
    feed = CalendarFeed.objects.create(user=alice)
    body = client.get(f"/programs/calendar/{feed.token}.ics").content.decode()
    assert "Move 8" in body
    for private in ("hip flared", "stairs", "cancer", "pain", "Pain"):
        assert private not in body


@freeze_time("2026-06-01 10:00")
def test_a_paused_or_missing_program_gives_an_empty_calendar(client: Client) -> None:
    alice = make_alice()
    feed = CalendarFeed.objects.create(user=alice)
    assert _feed(client, feed).walk("VEVENT") == []
    make_enrollment(alice, make_moves_program(), start_date=date(2026, 5, 25))
    Enrollment.objects.update(status=Enrollment.Status.PAUSED, paused_on=date(2026, 5, 30))
    assert _feed(client, feed).walk("VEVENT") == []


def test_an_unknown_malformed_or_deactivated_token_is_a_404(
    client: Client, django_assert_max_num_queries
) -> None:
    alice = make_alice()
    feed = CalendarFeed.objects.create(user=alice)
    with django_assert_max_num_queries(1):
        assert client.get(f"/programs/calendar/{'x' * 32}.ics").status_code == 404
    with django_assert_max_num_queries(0):
        assert client.get("/programs/calendar/short.ics").status_code == 404
        assert client.get("/programs/calendar/%27%20or%201=1.ics").status_code == 404
    assert client.get(f"/programs/calendar/{feed.token}").status_code == 404
    alice.is_active = False
    alice.save()
    assert client.get(f"/programs/calendar/{feed.token}.ics").status_code == 404


@freeze_time("2026-06-01 10:00")
def test_the_feed_takes_a_handful_of_queries(client: Client, django_assert_max_num_queries) -> None:
    alice = make_alice()
    make_enrollment(alice, make_moves_program(), start_date=date(2026, 5, 25))
    make_enrollment(
        alice,
        make_moves_program("hands-and-feet", unlock=Program.Unlock.LOGGING),
        start_date=date(2026, 5, 25),
    )
    make_reminder(alice, timezone="Europe/Berlin")
    feed = CalendarFeed.objects.create(user=alice)
    with django_assert_max_num_queries(6):
        assert client.get(f"/programs/calendar/{feed.token}.ics").status_code == 200
