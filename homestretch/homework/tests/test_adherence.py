"""Adherence, alerts and the sparkline: the pure maths, then the same on real rows across
time zones."""

from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import pytest
from django.test import Client

from homestretch.accounts.testing import make_bob, make_user
from homestretch.homework.adherence import (
    Alert,
    LogPoint,
    Plan,
    alerts,
    counted_days,
    sparkline,
    tally,
)
from homestretch.homework.dashboard import client_rows
from homestretch.homework.testing import make_assignment, make_consent, make_teacher
from homestretch.programs.services import LogEntry, log_save
from homestretch.programs.testing import make_log

# Wednesday 15 January 2025; the window is Thursday 2 to Wednesday 15.
TODAY = date(2025, 1, 15)
MON_WED_FRI = frozenset({1, 3, 5})


def _days(*offsets: int) -> set[date]:
    return {TODAY - timedelta(days=n) for n in offsets}


def test_weekday_homework_counts_each_chosen_day_in_the_window() -> None:
    plan = Plan(starts_on=date(2024, 12, 1), ends_on=date(2025, 3, 1), weekdays=MON_WED_FRI)
    # Fri 3, Mon 6, Wed 8, Fri 10, Mon 13 are due; today (Wed 15) not yet practised.
    result = tally(plan, TODAY, _days(12, 9, 7))  # Fri 3, Mon 6, Wed 8
    assert (result.done, result.scheduled) == (3, 5)
    assert result.percent == 60


def test_today_counts_only_once_practised() -> None:
    plan = Plan(starts_on=date(2024, 12, 1), ends_on=date(2025, 3, 1), weekdays=MON_WED_FRI)
    assert tally(plan, TODAY, _days(0)).scheduled == 6
    assert tally(plan, TODAY, _days(0)).done == 1
    assert TODAY not in counted_days(plan, TODAY, set())


def test_practice_on_an_unscheduled_day_does_not_count() -> None:
    plan = Plan(starts_on=date(2024, 12, 1), ends_on=date(2025, 3, 1), weekdays=frozenset({1}))
    result = tally(plan, TODAY, _days(1, 3))  # Tue 14 and Sun 12
    assert (result.done, result.scheduled) == (0, 2)


def test_homework_that_starts_inside_the_window_is_judged_from_its_start() -> None:
    plan = Plan(starts_on=date(2025, 1, 10), ends_on=date(2025, 2, 1), weekdays=MON_WED_FRI)
    result = tally(plan, TODAY, _days(5))  # Fri 10 done, Mon 13 missed
    assert (result.done, result.scheduled) == (1, 2)


def test_homework_that_ended_inside_the_window_stops_counting_at_its_end() -> None:
    plan = Plan(starts_on=date(2024, 12, 1), ends_on=date(2025, 1, 8), weekdays=MON_WED_FRI)
    assert tally(plan, TODAY, set()).scheduled == 3  # Fri 3, Mon 6, Wed 8


def test_times_a_week_counts_whole_weeks_and_prorates_partial_ones() -> None:
    plan = Plan(starts_on=date(2024, 12, 1), ends_on=date(2025, 3, 1), times_per_week=3)
    # Window Thu 2 .. Tue 14 (today not practised): Thu 2-Sun 5 (4 days of a week),
    # Mon 6-Sun 12 (whole), Mon 13-Tue 14 (2 days).
    result = tally(plan, TODAY, _days(12, 11, 10, 9, 8, 7, 6))  # every day of week 2
    assert result.scheduled == Fraction(3 * 4, 7) + 3 + Fraction(3 * 2, 7)
    # Week 1: Fri 3, Sat 4, Sun 5 done, capped at 12/7; week 2: 4 days done, capped at 3.
    assert result.done == Fraction(12, 7) + 3
    assert result.percent == round(float((Fraction(12, 7) + 3) / result.scheduled) * 100)


def test_a_times_a_week_plan_met_in_full_is_one_hundred_percent() -> None:
    plan = Plan(starts_on=date(2025, 1, 6), ends_on=date(2025, 3, 1), times_per_week=2)
    # From Mon 6: week of the 6th done twice; Mon 13 + Tue 14 ask for 4/7, one done.
    result = tally(plan, TODAY, _days(9, 7, 2))
    assert result.percent == 100


def test_nothing_scheduled_has_no_ratio() -> None:
    plan = Plan(starts_on=date(2025, 1, 20), ends_on=date(2025, 2, 1), weekdays=MON_WED_FRI)
    assert tally(plan, TODAY, set()).ratio is None


def _log(offset: int, before: int | None = 3, after: int | None = 2, done: bool = True):
    return LogPoint(TODAY - timedelta(days=offset), done, before, after)


def test_pain_of_seven_or_more_in_the_last_seven_days_raises_an_alert() -> None:
    def high(*logs: LogPoint) -> list[Alert]:
        return alerts(logs=logs, today=TODAY, last_practice=TODAY, homework_since=None)

    assert high(_log(0, 7, 3)) == [Alert.HIGH_PAIN]
    assert high(_log(6, None, 9)) == [Alert.HIGH_PAIN]
    assert high(_log(7, 9, 9)) == []  # eight days ago
    assert high(_log(0, 6, 6), _log(1, None, None)) == []


def test_seven_quiet_days_with_homework_raise_an_alert() -> None:
    since = TODAY - timedelta(days=30)
    assert alerts(
        logs=[], today=TODAY, last_practice=TODAY - timedelta(days=7), homework_since=since
    ) == [Alert.NOT_PRACTISING]
    assert (
        alerts(logs=[], today=TODAY, last_practice=TODAY - timedelta(days=6), homework_since=since)
        == []
    )
    assert alerts(logs=[], today=TODAY, last_practice=None, homework_since=since) == [
        Alert.NOT_PRACTISING
    ]
    # Homework that began less than a week ago: too soon to call it stopping.
    recent = TODAY - timedelta(days=6)
    assert alerts(logs=[], today=TODAY, last_practice=None, homework_since=recent) == []
    # No homework: nothing to stop doing.
    assert alerts(logs=[], today=TODAY, last_practice=None, homework_since=None) == []


def test_the_sparkline_draws_daily_average_pain_oldest_first() -> None:
    line = sparkline(
        [_log(10, 8, 6), _log(10, 4, None), _log(0, 2, 2), _log(40, 9, 9)], today=TODAY
    )
    assert line is not None
    assert (line.first, line.last, line.count) == (5, 2, 2)  # day -10: (6 + 4) / 2
    first, last = line.points.split()
    assert float(first.split(",")[0]) < float(last.split(",")[0]) == 100
    assert float(first.split(",")[1]) < float(last.split(",")[1])  # higher pain is higher up
    assert sparkline([_log(0)], today=TODAY) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("zone", "local_day"),
    [("Pacific/Auckland", date(2025, 1, 16)), ("America/Los_Angeles", date(2025, 1, 15))],
)
def test_the_dashboard_judges_each_client_by_their_own_calendar(zone: str, local_day: date) -> None:
    """At 20:00 UTC on Wednesday 15, it is Thursday morning in Auckland and Wednesday
    noon in Los Angeles. Homework on Thursdays: due today in Auckland only, and a log
    made now lands on each client's own day."""
    now = datetime(2025, 1, 15, 20, 0, tzinfo=UTC)
    bob = make_bob()
    client = make_user(f"{zone.split('/')[1].lower()}@example.com", timezone=zone)
    consent = make_consent(make_teacher(bob), client)
    assignment = make_assignment(
        consent, weekdays=(4,), starts_on=date(2025, 1, 1), ends_on=date(2025, 2, 28)
    )
    sequence = assignment.sequences.get()
    log, _ = log_save(
        user=client,
        sequence=sequence,
        entry=LogEntry(done=True, pain_before=4, pain_after=3, difficulty="", note=""),
        now=now,
    )
    assert log.local_date == local_day
    (row,) = client_rows(consent.instructor, now=now)
    assert row.today == local_day
    assert row.last_practice == local_day
    assert row.adherence is not None
    # Auckland's window is 3 to 16 January: Thursday 9 (missed) and today (done).
    # Los Angeles' is 2 to 15: Thursdays 2 and 9, both missed.
    if zone == "Pacific/Auckland":
        assert (row.adherence.done, row.adherence.scheduled) == (1, 2)
    else:
        assert (row.adherence.done, row.adherence.scheduled) == (0, 2)


@pytest.mark.django_db
def test_the_dashboard_shows_adherence_trend_and_alerts_in_few_queries(
    django_assert_max_num_queries,
) -> None:
    bob = make_bob()
    instructor = make_teacher(bob)
    today = date.today()
    for n in range(12):
        person = make_user(f"client{n}@example.com", display_name=f"Client {n:02}")
        consent = make_consent(instructor, person, logs=n != 11)
        make_assignment(consent, starts_on=today - timedelta(days=40), ends_on=today)
        for day in range(0 if n else 10, 30):
            make_log(person, on=today - timedelta(days=day), before=8 if n == 3 else 5)
    browser = Client()
    browser.force_login(bob)
    browser.get("/studio/clients/")  # records the session's activity, once a minute
    with django_assert_max_num_queries(10):
        page = browser.get("/studio/clients/")
    text = page.content.decode()
    assert text.count('<svg class="sparkline"') == 11
    assert text.count("Practice logs not shared") == 1
    assert text.count("Pain ≥ 7") == 1
    assert text.count("No practice 7 days") == 1  # client 0 stopped 10 days ago


@pytest.mark.django_db
def test_a_clients_name_is_escaped_in_the_dashboard_rows() -> None:
    bob = make_bob()
    name = '<img src=x onerror="alert(1)">Eve & co'
    make_consent(make_teacher(bob), make_user("eve@example.com", display_name=name))
    browser = Client()
    browser.force_login(bob)
    text = browser.get("/studio/clients/").content.decode()
    assert "<img src=x" not in text
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Eve &amp; co</a>" in text
