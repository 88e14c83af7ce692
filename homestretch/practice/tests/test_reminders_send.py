"""reminders_send and the send_reminders command: once a day, at the local time, only
when there is something to practise."""

import threading
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.db import connection

from homestretch.accounts.models import User
from homestretch.accounts.testing import make_alice, make_charlie
from homestretch.library.testing import make_sequence
from homestretch.practice.models import ReminderSent
from homestretch.practice.reminders import practice_due, reminders_send
from homestretch.practice.testing import make_moves_program, make_reminder
from homestretch.programs.models import Enrollment, PracticeLog, Program
from homestretch.programs.testing import make_enrollment

BERLIN = ZoneInfo("Europe/Berlin")
UTC = ZoneInfo("UTC")
# Monday 1 June 2026, 07:30 in Berlin.
MONDAY_0730 = datetime(2026, 6, 1, 7, 30, tzinfo=BERLIN)

pytestmark = pytest.mark.django_db


def _member_in_program(
    user: User | None = None, *, start: date = date(2026, 5, 25), **reminder: Any
) -> User:
    """Alice on day 8 of a 28-day calendar program on 1 June 2026, reminded daily at 07:30."""
    user = user or make_alice()
    program = Program.objects.filter(slug="si-joint").first() or make_moves_program()
    make_enrollment(user, program, start_date=start)
    make_reminder(user, **{"timezone": "Europe/Berlin", **reminder})
    return user


def _run_every_minute(
    capture: Callable[..., Any], start: datetime, end: datetime
) -> list[datetime]:
    """Call reminders_send once a minute from `start` to `end`; when each sent something."""
    sends = []
    now = start.astimezone(UTC)
    with capture(execute=True):
        while now < end:
            if reminders_send(now):
                sends.append(now)
            now += timedelta(minutes=1)
    return sends


def test_it_emails_the_days_program_day_with_a_link(django_capture_on_commit_callbacks) -> None:
    alice = _member_in_program()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(MONDAY_0730) == 1
    [email] = mail.outbox
    assert isinstance(email, EmailMultiAlternatives)
    assert email.to == [alice.email]
    assert email.subject == "[Homestretch] Time to practise: Day 8 \N{EN DASH} Move 8"
    day_url = f"{settings.SITE_URL}/programs/si-joint/day/8/"
    assert day_url in email.body
    assert f'href="{day_url}"' in str(email.alternatives[0][0])
    assert f"{settings.SITE_URL}/me/reminders/" in email.body
    assert ReminderSent.objects.get().local_date == date(2026, 6, 1)


def test_two_runs_in_the_same_minute_send_one_email(django_capture_on_commit_callbacks) -> None:
    _member_in_program()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(MONDAY_0730) == 1
        assert reminders_send(MONDAY_0730 + timedelta(seconds=20)) == 0
        assert reminders_send(MONDAY_0730 + timedelta(minutes=5)) == 0
    assert len(mail.outbox) == 1


def test_a_run_that_loses_the_race_for_the_day_sends_nothing(
    django_capture_on_commit_callbacks,
) -> None:
    """Another run claimed the day between our look-up and our insert."""
    alice = _member_in_program()
    ReminderSent.objects.create(user=alice, local_date=date(2026, 6, 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(MONDAY_0730) == 0
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every writer, so two runs cannot overlap",
)
def test_two_runs_at_once_on_postgresql_send_one_email() -> None:
    _member_in_program()
    barrier = threading.Barrier(2)
    counts: list[int] = []

    def run() -> None:
        try:
            barrier.wait()
            counts.append(reminders_send(MONDAY_0730))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == [0, 1]
    assert len(mail.outbox) == 1
    assert ReminderSent.objects.count() == 1


@pytest.mark.parametrize(
    ("zone", "change"),
    [
        ("Europe/Berlin", date(2026, 3, 29)),
        ("Europe/Berlin", date(2026, 10, 25)),
        ("America/New_York", date(2026, 3, 8)),
        ("America/New_York", date(2026, 11, 1)),
    ],
)
def test_run_every_minute_a_0730_reminder_goes_out_at_0730_local_around_a_dst_change(
    django_capture_on_commit_callbacks, zone: str, change: date
) -> None:
    tz = ZoneInfo(zone)
    _member_in_program(start=change - timedelta(days=5), timezone=zone)
    # Every minute of the change day, and the hours around 07:30 on the days either side.
    windows = [
        (
            datetime.combine(change, time(0), tz),
            datetime.combine(change + timedelta(1), time(0), tz),
        )
    ] + [
        (datetime.combine(day, time(6), tz), datetime.combine(day, time(9), tz))
        for day in (change - timedelta(days=1), change + timedelta(days=1))
    ]
    sends = [
        s
        for start, end in windows
        for s in _run_every_minute(django_capture_on_commit_callbacks, start, end)
    ]
    local = sorted(send.astimezone(tz) for send in sends)
    assert [(s.date(), s.time()) for s in local] == [
        (change + timedelta(days=offset), time(7, 30)) for offset in (-1, 0, 1)
    ]
    assert len(mail.outbox) == 3


def test_a_0230_reminder_on_the_spring_forward_day_goes_out_once_at_0330(
    django_capture_on_commit_callbacks,
) -> None:
    change = date(2026, 3, 29)
    _member_in_program(start=change - timedelta(days=2), at=time(2, 30))
    sends = _run_every_minute(
        django_capture_on_commit_callbacks,
        datetime.combine(change, time(0), BERLIN),
        datetime.combine(change + timedelta(days=1), time(0), BERLIN),
    )
    assert [send.astimezone(BERLIN).isoformat() for send in sends] == ["2026-03-29T03:30:00+02:00"]
    assert len(mail.outbox) == 1


def test_weekdays_not_chosen_get_no_reminder(django_capture_on_commit_callbacks) -> None:
    _member_in_program(weekdays=(2, 4))  # Tuesday and Thursday; 1 June 2026 is a Monday
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(MONDAY_0730) == 0
        assert reminders_send(MONDAY_0730 + timedelta(days=1)) == 1
    assert len(mail.outbox) == 1


def test_a_run_more_than_half_an_hour_late_sends_nothing(
    django_capture_on_commit_callbacks,
) -> None:
    _member_in_program()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(MONDAY_0730 + timedelta(minutes=45)) == 0
        assert reminders_send(MONDAY_0730 + timedelta(hours=12)) == 0
    assert mail.outbox == []


def test_no_reminder_without_a_program_or_while_it_is_paused_or_off(
    django_capture_on_commit_callbacks,
) -> None:
    make_reminder(make_alice(), timezone="Europe/Berlin")  # no enrollment at all
    charlie = _member_in_program(make_charlie())
    Enrollment.objects.filter(user=charlie).update(
        status=Enrollment.Status.PAUSED, paused_on=date(2026, 5, 30)
    )
    left = _member_in_program(User.objects.create_user("dora@example.com"))
    Enrollment.objects.filter(user=left).update(status=Enrollment.Status.LEFT)
    off = _member_in_program(User.objects.create_user("erin@example.com"), is_enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(MONDAY_0730) == 0
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()
    assert off.reminder.is_enabled is False


def test_no_reminder_before_the_start_or_after_the_last_calendar_day(
    django_capture_on_commit_callbacks,
) -> None:
    _member_in_program(start=date(2026, 6, 2))  # starts tomorrow
    _member_in_program(make_charlie(), start=date(2026, 5, 4))  # day 29 of 28
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(MONDAY_0730) == 0


def test_a_by_logging_program_reminds_of_the_next_day_until_every_day_is_logged() -> None:
    alice = make_alice()
    program = make_moves_program("gentle-start", unlock=Program.Unlock.LOGGING, days=2)
    enrollment = make_enrollment(alice, program, start_date=date(2026, 5, 1))
    sequence = make_sequence()
    [due] = practice_due(alice, date(2026, 6, 1))
    assert (due.number, due.title) == (1, "Move 1")
    for number, day in ((1, date(2026, 5, 1)), (2, date(2026, 5, 2))):
        PracticeLog.objects.create(
            user=alice,
            sequence=sequence,
            enrollment=enrollment,
            program_day=number,
            logged_at=datetime.combine(day, time(8), UTC),
            local_date=day,
        )
        if number == 1:
            assert [d.number for d in practice_due(alice, date(2026, 6, 1))] == [2]
    assert practice_due(alice, date(2026, 6, 1)) == []


def test_a_member_with_a_broken_time_zone_does_not_stop_the_others(
    django_capture_on_commit_callbacks,
) -> None:
    _member_in_program()
    broken = _member_in_program(make_charlie())
    User.objects.filter(pk=broken.pk).update(timezone="Mars/Olympus_Mons")
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(MONDAY_0730) == 1


def test_the_queries_do_not_grow_with_members_who_are_not_due(
    django_capture_on_commit_callbacks, django_assert_max_num_queries
) -> None:
    _member_in_program()
    for n in range(20):
        make_reminder(User.objects.create_user(f"m{n}@example.com"), at=time(18, 0))
    # Reminders, days sent, then per member due: enrollments, logged days, homework, the
    # claim and the email task.
    with django_capture_on_commit_callbacks(execute=True), django_assert_max_num_queries(11):
        assert reminders_send(MONDAY_0730) == 1


def test_the_command_prints_how_many_it_sent(
    django_capture_on_commit_callbacks, monkeypatch
) -> None:
    _member_in_program()
    monkeypatch.setattr("django.utils.timezone.now", lambda: MONDAY_0730.astimezone(UTC))
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=out)
        call_command("send_reminders", stdout=out)
    assert out.getvalue() == "Sent 1 reminder.\nSent 0 reminders.\n"
    assert len(mail.outbox) == 1


def test_homework_days_are_reminded_too(django_capture_on_commit_callbacks) -> None:
    from homestretch.accounts.testing import make_bob
    from homestretch.homework.testing import make_assignment, make_consent, make_teacher

    alice = make_alice()
    make_reminder(alice, timezone="Europe/Berlin")
    consent = make_consent(make_teacher(make_bob()), alice)
    make_assignment(
        consent, starts_on=date(2026, 5, 25), ends_on=date(2026, 6, 30), weekdays=(1, 3)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(MONDAY_0730) == 1  # a Monday: homework is due
        assert reminders_send(MONDAY_0730 + timedelta(days=1)) == 0  # Tuesday: nothing
    [email] = mail.outbox
    assert email.subject.startswith("[Homestretch] Time to practise: Homework: ")
    assert "from Bob" in email.body
    assert f"{settings.SITE_URL}/me/#homework" in email.body
