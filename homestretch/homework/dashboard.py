"""What an instructor sees of their clients, read in a fixed number of queries whatever the
number of clients, and only from what each client shares."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Max
from django.utils import timezone

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
from homestretch.homework.models import SHARE_LABELS, Assignment, Consent
from homestretch.programs.models import PracticeLog


@dataclass(frozen=True)
class Client:
    """A client as the dashboard shows them, read as plain values (200 model instances
    with their users cost more than the rest of the page)."""

    consent_id: int
    client_id: int
    email: str
    display_name: str
    timezone: str
    share_logs: bool
    share_checks: bool
    share_progress: bool

    @property
    def name(self) -> str:
        return self.display_name or self.email.split("@")[0]

    def shared_labels(self) -> list[str]:
        return [label for name, label in SHARE_LABELS.items() if getattr(self, name)]

    def shared_keys(self) -> list[str]:
        return [name.removeprefix("share_") for name in SHARE_LABELS if getattr(self, name)]


@dataclass
class ClientRow:
    client: Client
    today: date
    plans: list[tuple[Plan, frozenset[int]]] = field(default_factory=list)  # with sequences
    adherence: Tally | None = None
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
        .order_by("client__display_name", "client__email")
        .values_list(
            "pk",
            "client_id",
            "client__email",
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

    plans: dict[int, tuple[int, Plan, set[int]]] = {}
    for assignment_id, sequence_id, client_id, starts, ends, weekdays, per_week in (
        Assignment.sequences.through.objects.filter(
            assignment__consent__instructor=instructor,
            assignment__consent__revoked_at__isnull=True,
            assignment__ends_on__gte=earliest - timedelta(days=WINDOW_DAYS),
        )
        .order_by("assignment__starts_on", "assignment_id")
        .values_list(
            "assignment_id",
            "sequence_id",
            "assignment__consent__client_id",
            "assignment__starts_on",
            "assignment__ends_on",
            "assignment__weekdays",
            "assignment__times_per_week",
        )
    ):
        if assignment_id not in plans:
            plan = Plan(starts, ends, frozenset(weekdays or ()), per_week)
            plans[assignment_id] = (client_id, plan, set())
        plans[assignment_id][2].add(sequence_id)
    for client_id, plan, sequence_ids in plans.values():
        rows[client_id].plans.append((plan, frozenset(sequence_ids)))

    sharing = Consent.objects.active().filter(instructor=instructor, share_logs=True)
    logs: dict[int, list[tuple[int, LogPoint]]] = defaultdict(list)
    for user_id, sequence_id, day, done, before, after in PracticeLog.objects.filter(
        user__in=sharing.values("client_id"), local_date__gte=earliest
    ).values_list("user_id", "sequence_id", "local_date", "done", "pain_before", "pain_after"):
        logs[user_id].append((sequence_id, LogPoint(day, done, before, after)))

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


def _measure(row: ClientRow, entries: list[tuple[int, LogPoint]], last: date | None) -> None:
    points = [point for _, point in entries]
    row.last_practice = last
    row.spark = sparkline(points, today=row.today)
    total, counted = Tally(), False
    window_start = row.today - timedelta(days=WINDOW_DAYS - 1)
    for plan, sequence_ids in row.plans:
        if plan.starts_on > row.today or plan.ends_on < window_start:
            continue
        practised = {point.day for sid, point in entries if point.done and sid in sequence_ids}
        total += tally(plan, row.today, practised)
        counted = True
    row.adherence = total if counted else None
    # Quiet days count from the start of the homework running today, if any.
    running = [p.starts_on for p, _ in row.plans if p.starts_on <= row.today <= p.ends_on]
    row.alerts = alerts(
        logs=points,
        today=row.today,
        last_practice=row.last_practice,
        homework_since=min(running) if running else None,
    )
