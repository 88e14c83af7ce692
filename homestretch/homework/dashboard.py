"""What an instructor sees of their clients, read in a fixed number of queries whatever the
number of clients, and only from what each client shares."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Max
from django.utils import timezone

from homestretch.accounts.models import User
from homestretch.finder.models import Instructor
from homestretch.homework.adherence import (
    SPARK_DAYS,
    WINDOW_DAYS,
    Alert,
    LogPoint,
    Plan,
    Sparkline,
    Tally,
    alerts,
    sparkline,
    tally,
)
from homestretch.homework.models import SHARE_LABELS, Assignment, Consent, client_name
from homestretch.programs.models import PracticeLog


@dataclass(frozen=True)
class Client:
    """A client as the dashboard shows them, read as plain values (200 model instances
    with their users cost more than the rest of the page)."""

    consent_id: int
    client_id: int
    display_name: str
    timezone: str
    share_logs: bool
    share_checks: bool
    share_progress: bool

    @property
    def name(self) -> str:
        return client_name(self.display_name, self.consent_id)

    def shared_labels(self) -> list[str]:
        return [label for name, label in SHARE_LABELS.items() if getattr(self, name)]

    def shared_keys(self) -> list[str]:
        return [name.removeprefix("share_") for name in SHARE_LABELS if getattr(self, name)]


# What a log or an assignment is about: ("sequence", id) or ("custom", custom version id),
# so homework counts the practice of what was assigned, whichever kind it is.
Subject = tuple[str, int]


def subject(sequence_id: int | None, custom_version_id: int | None) -> Subject:
    if sequence_id is not None:
        return ("sequence", sequence_id)
    return ("custom", custom_version_id or 0)


@dataclass
class ClientRow:
    client: Client
    today: date
    plans: list[tuple[Plan, frozenset[Subject]]] = field(default_factory=list)  # with subjects
    # Homework sequences only: done ÷ scheduled over WINDOW_DAYS (None: no homework due).
    adherence: Tally | None = None
    # Any practice, program or not: the days of the window with a done log.
    practised_days: int = 0
    last_practice: date | None = None
    spark: Sparkline | None = None
    alerts: list[Alert] = field(default_factory=list)


def client_rows(instructor: Instructor, *, now: datetime | None = None) -> list[ClientRow]:
    """One row per client who shares with `instructor`, in three queries (four when a
    client has not practised lately):

    1. the active consents with their clients (the few columns shown);
    2. the assignments that may touch the window, with their sequences, as plain values;
    3. the shared logs of the last SPARK_DAYS days (and 4. the last practice of clients
       with none in that time).

    Logs are read only for consents that share them; with logs not shared, the row shows
    the homework and nothing measured.
    """
    now = now or timezone.now()
    clients = [
        Client(*values)
        for values in Consent.objects.active()
        .filter(instructor=instructor)
        .order_by("client__display_name", "pk")
        .values_list(
            "pk",
            "client_id",
            "client__display_name",
            "client__timezone",
            "share_logs",
            "share_checks",
            "share_progress",
        )
    ]
    rows = {
        c.client_id: ClientRow(client=c, today=now.astimezone(ZoneInfo(c.timezone)).date())
        for c in clients
    }
    if not rows:
        return []
    # Any client's today is within a day of the server's; a day of slack covers every zone.
    earliest = min(row.today for row in rows.values()) - timedelta(days=SPARK_DAYS + 1)

    plans: dict[int, tuple[int, Plan, set[Subject]]] = {}
    # One row per assigned sequence (a custom sequence's assignment without any: one row).
    for assignment_id, sequence_id, version_id, client_id, starts, ends, weekdays, per_week in (
        Assignment.objects.filter(
            consent__instructor=instructor,
            consent__revoked_at__isnull=True,
            ends_on__gte=earliest - timedelta(days=WINDOW_DAYS),
        )
        .order_by("starts_on", "pk")
        .values_list(
            "pk",
            "sequences",
            "custom_version_id",
            "consent__client_id",
            "starts_on",
            "ends_on",
            "weekdays",
            "times_per_week",
        )
    ):
        if assignment_id not in plans:
            plan = Plan(starts, ends, frozenset(weekdays or ()), per_week)
            plans[assignment_id] = (client_id, plan, set())
        if sequence_id is not None:
            plans[assignment_id][2].add(subject(sequence_id, None))
        if version_id is not None:
            plans[assignment_id][2].add(subject(None, version_id))
    for client_id, plan, subjects in plans.values():
        rows[client_id].plans.append((plan, frozenset(subjects)))

    sharing = Consent.objects.active().filter(instructor=instructor, share_logs=True)
    logs: dict[int, list[tuple[Subject, LogPoint]]] = defaultdict(list)
    for user_id, sequence_id, version_id, day, done, before, after in PracticeLog.objects.filter(
        user__in=sharing.values("client_id"), local_date__gte=earliest
    ).values_list(
        "user_id",
        "sequence_id",
        "custom_version_id",
        "local_date",
        "done",
        "pain_before",
        "pain_after",
    ):
        logs[user_id].append((subject(sequence_id, version_id), LogPoint(day, done, before, after)))

    # The last practice is usually in the logs just read; only quiet clients need a look
    # further back.
    last_practice: dict[int, date] = {}
    for user_id, entries in logs.items():
        done_days = [point.day for _, point in entries if point.done]
        if done_days:
            last_practice[user_id] = max(done_days)
    quiet = [c.client_id for c in clients if c.share_logs and c.client_id not in last_practice]
    if quiet:
        last_practice.update(
            PracticeLog.objects.filter(user__in=quiet, done=True)
            .values("user_id")
            .annotate(last=Max("local_date"))
            .values_list("user_id", "last")
        )

    for user_id, row in rows.items():
        if row.client.share_logs:
            _measure(row, logs[user_id], last_practice.get(user_id))
    return list(rows.values())


def _measure(row: ClientRow, entries: list[tuple[Subject, LogPoint]], last: date | None) -> None:
    points = [point for _, point in entries]
    row.last_practice = last
    row.spark = sparkline(points, today=row.today)
    total, counted = Tally(), False
    window_start = row.today - timedelta(days=WINDOW_DAYS - 1)
    for plan, subjects in row.plans:
        if plan.starts_on > row.today or plan.ends_on < window_start:
            continue
        practised = {point.day for key, point in entries if point.done and key in subjects}
        total += tally(plan, row.today, practised)
        counted = True
    row.adherence = total if counted else None
    row.practised_days = len(
        {point.day for point in points if point.done and window_start <= point.day <= row.today}
    )
    # Quiet days count from the start of the homework running today, if any.
    running = [p.starts_on for p, _ in row.plans if p.starts_on <= row.today <= p.ends_on]
    row.alerts = alerts(
        logs=points,
        today=row.today,
        last_practice=row.last_practice,
        homework_since=min(running) if running else None,
    )


@dataclass(frozen=True)
class Fortnight:
    """A client's own view of the same numbers the instructor sees."""

    homework: Tally | None  # homework sequences only; None when none was due
    practised_days: int  # any practice, a program's included
    days: int = WINDOW_DAYS


def client_fortnight(user: User) -> Fortnight:
    """The client's homework adherence and days practised over the window, counted as the
    instructor's dashboard counts them (in two queries)."""
    today = user.local_today()
    window_start = today - timedelta(days=WINDOW_DAYS - 1)
    plans: dict[int, tuple[Plan, set[Subject]]] = {}
    for (
        assignment_id,
        sequence_id,
        version_id,
        starts,
        ends,
        weekdays,
        per_week,
    ) in Assignment.objects.filter(
        consent__client=user,
        consent__revoked_at__isnull=True,
        ends_on__gte=window_start,
        starts_on__lte=today,
    ).values_list(
        "pk",
        "sequences",
        "custom_version_id",
        "starts_on",
        "ends_on",
        "weekdays",
        "times_per_week",
    ):
        plan = Plan(starts, ends, frozenset(weekdays or ()), per_week)
        subjects = plans.setdefault(assignment_id, (plan, set()))[1]
        if sequence_id is not None:
            subjects.add(subject(sequence_id, None))
        if version_id is not None:
            subjects.add(subject(None, version_id))
    logs = [
        (subject(sequence_id, version_id), day)
        for sequence_id, version_id, day in PracticeLog.objects.filter(
            user=user, done=True, local_date__gte=window_start, local_date__lte=today
        ).values_list("sequence_id", "custom_version_id", "local_date")
    ]
    total, counted = Tally(), False
    for plan, subjects in plans.values():
        practised = {day for key, day in logs if key in subjects}
        total += tally(plan, today, practised)
        counted = True
    return Fortnight(
        homework=total if counted else None, practised_days=len({day for _, day in logs})
    )
