"""When a reminder is due, as pure arithmetic: every minute of the days around a DST change."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from homestretch.practice.models import Reminder
from homestretch.practice.reminders import CATCH_UP, due_date, next_reminder

UTC = ZoneInfo("UTC")
EVERY_DAY = [1, 2, 3, 4, 5, 6, 7]
# 2026's changes: Europe moves on the last Sundays of March and October, the US on the
# second Sunday of March and the first of November.
CHANGES = [
    ("Europe/Berlin", date(2026, 3, 29)),
    ("Europe/Berlin", date(2026, 10, 25)),
    ("America/New_York", date(2026, 3, 8)),
    ("America/New_York", date(2026, 11, 1)),
]


def _simulate(reminder: Reminder, tz: ZoneInfo, first: date, last: date) -> list[datetime]:
    """Run the check every minute from `first` to `last` (local dates), remembering sent
    days as ReminderSent does; returns the local times a reminder went out."""
    start = datetime.combine(first, time(0), tz).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(0), tz).astimezone(UTC)
    sent: dict[date, datetime] = {}
    now = start
    while now < end:
        day = due_date(reminder, tz, now)
        if day is not None and day not in sent:
            sent[day] = now.astimezone(tz)
        now += timedelta(minutes=1)
    return list(sent.values())


@pytest.mark.parametrize(("zone", "change"), CHANGES)
def test_a_0730_reminder_goes_out_at_0730_local_before_on_and_after_a_dst_change(
    zone: str, change: date
) -> None:
    tz = ZoneInfo(zone)
    reminder = Reminder(weekdays=EVERY_DAY, at=time(7, 30))
    sends = _simulate(reminder, tz, change - timedelta(days=1), change + timedelta(days=1))
    assert [(s.date(), s.time()) for s in sends] == [
        (change + timedelta(days=offset), time(7, 30)) for offset in (-1, 0, 1)
    ]
    # The same wall-clock time is a different UTC instant on either side of the change.
    assert sends[0].utcoffset() != sends[2].utcoffset()


@pytest.mark.parametrize(
    ("zone", "change"),
    [("Europe/Berlin", date(2026, 3, 29)), ("America/New_York", date(2026, 3, 8))],
)
def test_a_time_the_spring_forward_night_skips_goes_out_once_an_hour_later(
    zone: str, change: date
) -> None:
    tz = ZoneInfo(zone)
    reminder = Reminder(weekdays=EVERY_DAY, at=time(2, 30))
    [send] = _simulate(reminder, tz, change, change)
    assert (send.date(), send.time()) == (change, time(3, 30))


@pytest.mark.parametrize(
    ("zone", "change"),
    [("Europe/Berlin", date(2026, 10, 25)), ("America/New_York", date(2026, 11, 1))],
)
def test_a_time_the_fall_back_night_repeats_goes_out_once_at_the_first(
    zone: str, change: date
) -> None:
    tz = ZoneInfo(zone)
    reminder = Reminder(weekdays=EVERY_DAY, at=time(1 if zone == "America/New_York" else 2, 30))
    [send] = _simulate(reminder, tz, change, change)
    assert send.fold == 0
    assert send.dst() != timedelta(0)  # the first 02:30 (01:30 in New York), still summer time


def test_only_the_chosen_weekdays_get_a_reminder() -> None:
    tz = ZoneInfo("Europe/Berlin")
    # Monday 2 to Sunday 8 March 2026; reminders on Monday, Wednesday and Saturday.
    reminder = Reminder(weekdays=[1, 3, 6], at=time(18, 0))
    sends = _simulate(reminder, tz, date(2026, 3, 2), date(2026, 3, 8))
    assert [s.date() for s in sends] == [date(2026, 3, 2), date(2026, 3, 4), date(2026, 3, 7)]


def test_a_late_run_still_sends_within_the_catch_up_window_and_not_after() -> None:
    tz = ZoneInfo("Europe/Berlin")
    reminder = Reminder(weekdays=EVERY_DAY, at=time(7, 30))
    due = datetime(2026, 6, 1, 7, 30, tzinfo=tz)
    assert due_date(reminder, tz, due - timedelta(minutes=1)) is None
    assert due_date(reminder, tz, due) == date(2026, 6, 1)
    assert due_date(reminder, tz, due + CATCH_UP - timedelta(seconds=1)) == date(2026, 6, 1)
    # A worker started in the evening does not send the morning's reminder.
    assert due_date(reminder, tz, due + CATCH_UP) is None
    assert due_date(reminder, tz, datetime(2026, 6, 1, 20, 0, tzinfo=tz)) is None


def test_a_reminder_just_before_midnight_is_sent_for_its_own_day_by_a_run_after_midnight() -> None:
    tz = ZoneInfo("America/New_York")
    # Only Sundays; Sunday 7 June 2026 at 23:50, and the run comes at 00:05 on Monday.
    reminder = Reminder(weekdays=[7], at=time(23, 50))
    assert due_date(reminder, tz, datetime(2026, 6, 8, 0, 5, tzinfo=tz)) == date(2026, 6, 7)


def test_the_next_reminder_is_the_next_chosen_weekday_at_the_local_time() -> None:
    tz = ZoneInfo("Europe/Berlin")
    reminder = Reminder(weekdays=[1], at=time(7, 30), is_enabled=True)
    # Saturday 28 March 2026, the day before summer time: Monday is at 07:30 CEST.
    now = datetime(2026, 3, 28, 12, tzinfo=UTC)
    upcoming = next_reminder(reminder, tz, now)
    assert upcoming == datetime(2026, 3, 30, 7, 30, tzinfo=tz)
    assert upcoming.isoformat() == "2026-03-30T07:30:00+02:00"
    # On Monday itself, after 07:30, the next one is a week later.
    monday_noon = datetime(2026, 3, 30, 12, tzinfo=tz)
    assert next_reminder(reminder, tz, monday_noon) == datetime(2026, 4, 6, 7, 30, tzinfo=tz)
    # Today's went out at 07:30 and the member then moved the time to 20:00: next Monday.
    reminder.at = time(20, 0)
    sent = {date(2026, 3, 30)}
    assert next_reminder(reminder, tz, monday_noon, sent=sent) == datetime(
        2026, 4, 6, 20, 0, tzinfo=tz
    )
    assert next_reminder(reminder, tz, monday_noon) == datetime(2026, 3, 30, 20, 0, tzinfo=tz)
    reminder.is_enabled = False
    assert next_reminder(reminder, tz, now) is None
