"""Practice reminders by email (and web push: `push.py`), and the private calendar feed of
upcoming program days.

Both answer the same question, "which program day does this member practise on this local
date?", in `program_days`; `practice_due` asks it for the reminder. Neither ever carries
health data (pain, notes, self-check answers): only program and day titles.
"""

import logging
import zoneinfo
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vDuration

from homestretch.accounts.models import User
from homestretch.accounts.tasks import queue_email
from homestretch.homework.services import homework_due
from homestretch.practice.models import CalendarFeed, PushSubscription, Reminder, ReminderSent
from homestretch.practice.push import push_offered
from homestretch.practice.tasks import send_push_reminder
from homestretch.programs.models import Enrollment, PracticeLog, Program, ProgramDay
from homestretch.programs.progress import unlocked_days

log = logging.getLogger(__name__)

# A run this late still sends the reminder (a slow or missed cron minute, a worker
# restart); later than this it is dropped, so a worker started in the evening does not
# send the morning's reminder.
CATCH_UP = timedelta(minutes=30)
# How far ahead the calendar feed lists program days.
FEED_DAYS = 28
# A timed calendar event lasts this long: most sequences take 10 to 30 minutes.
FEED_EVENT_LENGTH = timedelta(minutes=30)
FEED_REFRESH = timedelta(hours=4)


@dataclass(frozen=True)
class PracticeDay:
    """Something to practise on one local date: a program day, or homework."""

    title: str
    date: date
    path: str
    source: str  # the program's title, or who set the homework
    number: int | None = None  # the program day

    @property
    def summary(self) -> str:
        return f"Day {self.number} \N{EN DASH} {self.title}" if self.number else self.title


def _program_day(enrollment: Enrollment, number: int, title: str, when: date) -> PracticeDay:
    return PracticeDay(
        title=title,
        date=when,
        path=reverse("programs:day", args=[enrollment.program.slug, number]),
        source=enrollment.program.title,
        number=number,
    )


def _zone(user: User) -> zoneinfo.ZoneInfo | None:
    """The member's zone, or None when the stored name is not one (the field's validator
    runs in forms only): one bad row must not stop everyone else's reminders."""
    try:
        return user.zone
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        log.warning("User %s has an unknown time zone %r", user.pk, user.timezone)
        return None


def _active_enrollments(user: User) -> list[Enrollment]:
    """The member's active (not paused) enrollments, each with its program's days.

    A paused program has nothing due: its calendar moves on by the pause when resumed.
    """
    return list(
        Enrollment.objects.filter(user=user, status=Enrollment.Status.ACTIVE)
        .select_related("program")
        .prefetch_related(Prefetch("program__days", queryset=ProgramDay.objects.order_by("number")))
        .order_by("created_at")
    )


def _logged_days(enrollments: list[Enrollment]) -> dict[int, set[int]]:
    """Program days done, per enrollment, for the programs that unlock by logging."""
    by_logging = [e.pk for e in enrollments if e.program.unlock == Program.Unlock.LOGGING]
    logged: dict[int, set[int]] = {pk: set() for pk in by_logging}
    if by_logging:
        rows = PracticeLog.objects.filter(
            enrollment_id__in=by_logging, done=True, program_day__isnull=False
        ).values_list("enrollment_id", "program_day")
        for enrollment_id, number in rows:
            if number is not None:  # filtered out above; this tells the type checker
                logged[enrollment_id].add(number)
    return logged


def program_days(
    enrollment: Enrollment, *, first: date, last: date, logged: Iterable[int] = ()
) -> list[PracticeDay]:
    """The days of one enrollment that fall on local dates `first` to `last`.

    - By calendar, day N falls on start_date + N - 1; after the last day, nothing is due.
    - By logging, only the next day is known: it opens when the one before it is logged,
      whenever that is. So it is listed once, on `first` (today) or on the start date if
      that is later, and nothing after it: inventing dates for later days would be wrong
      as soon as the member skips or doubles up. The feed is fetched again every few hours,
      so the event moves on as the member logs. Once every day is logged, nothing is due.
    """
    days = {day.number: day for day in enrollment.program.days.all()}
    start = enrollment.start_date
    found: list[PracticeDay] = []
    if enrollment.program.unlock == Program.Unlock.CALENDAR:
        when = max(first, start)
        while when <= last:
            day = days.get((when - start).days + 1)
            if day is not None:
                found.append(_program_day(enrollment, day.number, day.title, when))
            when += timedelta(days=1)
        return found
    done = set(logged)
    number = unlocked_days(
        unlock=enrollment.program.unlock,
        total_days=len(days),
        start_date=start,
        today=max(first, start),
        logged_days=done,
    )
    when = max(first, start)
    if number and number not in done and when <= last and number in days:
        found.append(_program_day(enrollment, number, days[number].title, when))
    return found


def practice_due(user: User, day: date) -> list[PracticeDay]:
    """What the member has to practise on their local `day`; empty means no reminder.

    The open program days of their active enrollments, and the homework their instructors
    set for that day (`homework_due`).
    """
    enrollments = _active_enrollments(user)
    logged = _logged_days(enrollments)
    due: list[PracticeDay] = []
    for enrollment in enrollments:
        due += program_days(enrollment, first=day, last=day, logged=logged.get(enrollment.pk, ()))
    for assignment in homework_due(user, day):
        titles = ", ".join(sequence.title for sequence in assignment.sequences.all())
        due.append(
            PracticeDay(
                title=f"Homework: {titles}",
                date=day,
                path=reverse("me:index") + "#homework",
                source=f"from {assignment.consent.instructor.display_name}",
            )
        )
    return due


def due_date(reminder: Reminder, tz: zoneinfo.ZoneInfo, now: datetime) -> date | None:
    """The member's local date whose reminder is due at `now`, if any: a chosen weekday
    whose due instant has passed by less than CATCH_UP.

    Yesterday is asked too, so a reminder at 23:50 still goes out from a run at 00:05.
    Reminder.due_at handles DST: 07:30 is 07:30 on the wall clock on either side of a
    change, and a time the spring-forward night skips (02:30) is due at 03:30.
    """
    today = now.astimezone(tz).date()
    for day in (today, today - timedelta(days=1)):
        if day.isoweekday() not in reminder.weekdays:
            continue
        due = reminder.due_at(day, tz)
        if due <= now < due + CATCH_UP:
            return day
    return None


def next_reminder(
    reminder: Reminder, tz: zoneinfo.ZoneInfo, now: datetime, *, sent: Collection[date] = ()
) -> datetime | None:
    """When the next reminder is due after `now`, in the member's zone (None if off).
    Local days in `sent` already had theirs: moving today's time later sends none today."""
    if not reminder.is_enabled or not reminder.weekdays:
        return None
    today = now.astimezone(tz).date()
    for offset in range(8):
        day = today + timedelta(days=offset)
        if day.isoweekday() not in reminder.weekdays or day in sent:
            continue
        if (due := reminder.due_at(day, tz)) > now:
            return due
    return None


def _queue_reminder_email(user: User, days: list[PracticeDay]) -> None:
    context = {
        "user": user,
        "days": [(day, settings.SITE_URL + day.path) for day in days],
        "settings_url": settings.SITE_URL + reverse("practice:reminders"),
    }
    message = EmailMultiAlternatives(
        subject=f"[{settings.SITE_NAME}] Time to practise: {days[0].summary}",
        body=render_to_string("practice/email/reminder.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.attach_alternative(
        render_to_string("practice/email/reminder.html", context), "text/html"
    )
    queue_email(message)


def _queue_reminder_push(user: User, days: list[PracticeDay]) -> None:
    # Titles only, like the email's subject: a notification shows on a locked screen.
    send_push_reminder.enqueue(
        user_id=user.pk,
        title=f"{settings.SITE_NAME}: time to practise",
        body="; ".join(day.summary for day in days),
        url=days[0].path,
    )


def reminders_send(now: datetime | None = None) -> int:
    """Send the reminders due at `now`; returns how many members were reminded.

    1. Load every enabled reminder with its member, in one query.
    2. Keep those due now in the member's zone (`due_date`).
    3. Drop the days already sent, with one query for all of them.
    4. Keep the members with something to practise that day (`practice_due`).
    5. Claim the day with a ReminderSent row. Its unique constraint lets only one run win,
       even two runs at once; the loser sends nothing.
    6. Queue the email, and a push to the member's browsers if they opted in, once the
       claim is committed: one reminder a day, whichever channels carry it.
    """
    now = now or timezone.now()
    reminders = (
        Reminder.objects.filter(is_enabled=True, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    )
    due: list[tuple[User, date]] = []
    for reminder in reminders.iterator(chunk_size=2000):
        tz = _zone(reminder.user)
        if tz is not None and (day := due_date(reminder, tz, now)) is not None:
            due.append((reminder.user, day))
    if not due:
        return 0
    already = set(
        ReminderSent.objects.filter(
            user_id__in=[user.pk for user, _ in due],
            local_date__in={day for _, day in due},
        ).values_list("user_id", "local_date")
    )
    pushed = (
        set(
            PushSubscription.objects.filter(user_id__in=[user.pk for user, _ in due]).values_list(
                "user_id", flat=True
            )
        )
        if push_offered()
        else set()
    )
    sent = 0
    for user, day in due:
        if (user.pk, day) in already:
            continue
        days = practice_due(user, day)
        if not days:
            continue
        with transaction.atomic():
            _, created = ReminderSent.objects.get_or_create(user=user, local_date=day)
            if created:
                # robust: one failed hand-over is logged and the others still go out.
                transaction.on_commit(partial(_queue_reminder_email, user, days), robust=True)
                if user.pk in pushed:
                    transaction.on_commit(partial(_queue_reminder_push, user, days), robust=True)
                sent += 1
    return sent


def feed_calendar(feed: CalendarFeed, now: datetime | None = None) -> Calendar:
    """The member's upcoming program days for the next FEED_DAYS days as iCal events.

    An event is timed at the reminder's local time on the weekdays the member asked to be
    reminded (with its zone, so calendars follow DST), and all-day otherwise. Each day's
    UID stays the same from one fetch to the next, so a calendar moves an event instead of
    doubling it.
    """
    now = now or timezone.now()
    user = feed.user
    tz = _zone(user) or zoneinfo.ZoneInfo("UTC")
    today = now.astimezone(tz).date()
    reminder = Reminder.objects.filter(user=user, is_enabled=True).first()
    enrollments = _active_enrollments(user)
    logged = _logged_days(enrollments)

    cal = Calendar()
    cal.add("prodid", f"-//{settings.SITE_NAME}//Programs//EN")
    cal.add("version", "2.0")
    cal.calendar_name = f"{settings.SITE_NAME} practice"  # NAME and X-WR-CALNAME
    cal.add("x-wr-timezone", str(tz))
    # Ask calendars to fetch again every few hours: by-logging days move as the member logs.
    cal.refresh_interval = FEED_REFRESH
    cal["refresh-interval"].params["VALUE"] = "DURATION"  # RFC 7986 requires it
    cal.add("x-published-ttl", vDuration(FEED_REFRESH))
    for enrollment in enrollments:
        days = program_days(
            enrollment,
            first=today,
            last=today + timedelta(days=FEED_DAYS - 1),
            logged=logged.get(enrollment.pk, ()),
        )
        for day in days:
            event = Event()
            event.add("uid", f"enrollment-{enrollment.pk}-day-{day.number}@homestretch")
            event.add("summary", f"{settings.SITE_NAME}: {day.summary}")
            if reminder is not None and day.date.isoweekday() in reminder.weekdays:
                start = reminder.due_at(day.date, tz)
                event.add("dtstart", start)
                event.add("dtend", start + FEED_EVENT_LENGTH)
            else:
                event.add("dtstart", day.date)
                event.add("dtend", day.date + timedelta(days=1))
            event.add("dtstamp", now)
            event.add("url", settings.SITE_URL + day.path)
            event.add("description", f"{day.source}\n{settings.SITE_URL}{day.path}")
            cal.add_component(event)
    # VTIMEZONE definitions for the zones the events use, as RFC 5545 asks (some
    # calendars ignore a TZID they cannot find defined in the file). A year's span holds
    # both of the zone's DST changes, for a calendar that keeps the definition.
    cal.add_missing_timezones(
        first_date=today - timedelta(days=1), last_date=today + timedelta(days=366)
    )
    return cal
