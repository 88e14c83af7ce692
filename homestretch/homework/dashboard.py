"""What an instructor sees of their clients, read in a fixed number of queries whatever the
number of clients, and only from what each client shares."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

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
from homestretch.homework.models import Assignment, Consent
from homestretch.programs.models import PracticeLog
from homestretch.programs.services import local_today


@dataclass
class ClientRow:
    consent: Consent
    today: date
    assignments: list[Assignment] = field(default_factory=list)
    adherence: Tally | None = None
    last_practice: date | None = None
    spark: Sparkline | None = None
    alerts: list[Alert] = field(default_factory=list)


def plan_of(assignment: Assignment) -> Plan:
    return Plan(
        starts_on=assignment.starts_on,
        ends_on=assignment.ends_on,
        weekdays=frozenset(assignment.weekdays),
        times_per_week=assignment.times_per_week,
    )


def client_rows(instructor: Instructor, *, now: datetime | None = None) -> list[ClientRow]:
    """One row per client who shares with `instructor`, in three queries (four when a
    client has not practised lately):

    1. the active consents with their clients;
    2. the assignments that may touch the window, with their sequences;
    3. the shared logs of the last SPARK_DAYS days (and 4. the last practice of clients
       with none in that time).

    Logs are read only for consents that share them; with logs not shared, the row shows
    the homework and nothing measured.
    """
    now = now or timezone.now()
    consents = list(
        Consent.objects.active()
        .filter(instructor=instructor)
        .select_related("client")
        .order_by("client__display_name", "client__email")
    )
    rows = {c.client_id: ClientRow(consent=c, today=local_today(c.client, now)) for c in consents}
    if not rows:
        return []
    # Any client's today is within a day of the server's; a day of slack covers every zone.
    earliest = min(row.today for row in rows.values()) - timedelta(days=SPARK_DAYS + 1)
    # The assignments and their sequences in one read, through the M2M's own table.
    assignments: dict[int, Assignment] = {}
    sequences: dict[int, set[int]] = defaultdict(set)
    for link in (
        Assignment.sequences.through.objects.filter(
            assignment__consent__instructor=instructor,
            assignment__consent__revoked_at__isnull=True,
            assignment__ends_on__gte=earliest - timedelta(days=WINDOW_DAYS),
        )
        .select_related("assignment")
        .order_by("assignment__starts_on", "assignment_id")
    ):
        assignments.setdefault(link.assignment_id, link.assignment)
        sequences[link.assignment_id].add(link.sequence_id)

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
    quiet = [c.client_id for c in consents if c.share_logs and c.client_id not in last_practice]
    if quiet:
        last_practice.update(
            PracticeLog.objects.filter(user__in=quiet, done=True)
            .values("user_id")
            .annotate(last=Max("local_date"))
            .values_list("user_id", "last")
        )

    by_consent = {c.pk: c.client_id for c in consents}
    for assignment in assignments.values():
        rows[by_consent[assignment.consent_id]].assignments.append(assignment)
    for user_id, row in rows.items():
        if not row.consent.share_logs:
            continue
        points = [point for _, point in logs[user_id]]
        row.last_practice = last_practice.get(user_id)
        row.spark = sparkline(points, today=row.today)
        total, counted = Tally(), False
        for assignment in row.assignments:
            practised = {
                point.day
                for sequence_id, point in logs[user_id]
                if point.done and sequence_id in sequences[assignment.pk]
            }
            plan = plan_of(assignment)
            if plan.starts_on <= row.today and plan.ends_on >= row.today - timedelta(
                days=WINDOW_DAYS - 1
            ):
                total += tally(plan, row.today, practised)
                counted = True
        row.adherence = total if counted else None
        # Quiet days count from the start of the homework running today, if any.
        running = [a.starts_on for a in row.assignments if a.is_current(row.today)]
        row.alerts = alerts(
            logs=points,
            today=row.today,
            last_practice=row.last_practice,
            homework_since=min(running) if running else None,
        )
    return list(rows.values())
