"""/studio/clients/ for an instructor with 200 clients, each with 90 days of logs and
homework: queries per request and server time, on SQLite and PostgreSQL.

Targets (issue 8): at most 10 queries, p50 <= 50 ms. Run:
.venv/bin/python bench/bench_studio_clients.py
"""

import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_on, on_each_database, p, python_reference, timed

CLIENTS = 200
DAYS = 90
RUNS = 40
ZONES = ("Europe/Berlin", "America/Los_Angeles", "Pacific/Auckland", "Asia/Kolkata", "UTC")


def run(database_url: str | None) -> None:
    django_on(database_url)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from homestretch.accounts.models import Role, User
    from homestretch.finder.testing import make_instructor
    from homestretch.homework.models import Assignment, Consent, ConsentEvent
    from homestretch.library.models import Sequence
    from homestretch.programs.models import PracticeLog

    teacher = User.objects.create_user("teacher@example.com", display_name="Teacher")
    teacher.add_role(Role.INSTRUCTOR)
    instructor = make_instructor("Teacher", user=teacher, badges=("NS",))
    sequences = [
        Sequence.objects.create(
            title=f"Sequence {n}",
            slug=f"sequence-{n}",
            status=Sequence.Status.PUBLISHED,
            publish_at=timezone.now() - timedelta(days=200),
        )
        for n in range(3)
    ]
    User.objects.bulk_create(
        User(
            email=f"client{n}@example.com",
            display_name=f"Client {n:03}",
            timezone=ZONES[n % len(ZONES)],
        )
        for n in range(CLIENTS)
    )
    clients = list(User.objects.filter(email__startswith="client").order_by("pk"))
    Consent.objects.bulk_create(
        Consent(instructor=instructor, client=c, share_logs=n % 10 != 0)
        for n, c in enumerate(clients)
    )
    consents = list(Consent.objects.order_by("pk"))
    ConsentEvent.objects.bulk_create(
        ConsentEvent(
            consent=c, kind="granted", share_logs=True, share_checks=False, share_progress=False
        )
        for c in consents
    )
    today = timezone.localdate()
    Assignment.objects.bulk_create(
        Assignment(
            consent=c,
            schedule="weekdays" if n % 2 else "per_week",
            weekdays=[1, 3, 5] if n % 2 else [],
            times_per_week=None if n % 2 else 3,
            starts_on=today - timedelta(days=60),
            ends_on=today + timedelta(days=30),
        )
        for n, c in enumerate(consents)
    )
    through = Assignment.sequences.through
    through.objects.bulk_create(
        through(assignment_id=a.pk, sequence_id=sequences[a.pk % 3].pk)
        for a in Assignment.objects.all()
    )
    logs = []
    for n, client in enumerate(clients):
        for day in range(DAYS):
            if (day + n) % 3 == 0:
                continue  # skips a day in three
            local = today - timedelta(days=day)
            logs.append(
                PracticeLog(
                    user=client,
                    sequence=sequences[(n + day) % 3],
                    logged_at=datetime.combine(local, datetime.min.time(), tzinfo=UTC),
                    local_date=local,
                    pain_before=(n + day) % 11,
                    pain_after=max(0, (n + day) % 11 - 2),
                    note="",
                )
            )
    PracticeLog.objects.bulk_create(logs, batch_size=2000)

    browser = Client()
    browser.force_login(teacher)
    assert browser.get("/studio/clients/").status_code == 200  # warm-up: session activity
    with CaptureQueriesContext(connection) as queries:
        response = browser.get("/studio/clients/")
    assert response.status_code == 200
    assert response.content.count(b'<svg class="sparkline"') == CLIENTS - CLIENTS // 10
    count = len(queries.captured_queries)
    times = timed(lambda: browser.get("/studio/clients/"), RUNS)
    # CPU time of this process too: on a busy machine the wall time mostly measures the
    # queue for a core (the PostgreSQL server's own work is not in it).
    cpu = []
    for _ in range(RUNS):
        start = time.process_time()
        browser.get("/studio/clients/")
        cpu.append((time.process_time() - start) * 1000)
    name = "PostgreSQL" if database_url else "SQLite"
    print(
        f"{name:10} /studio/clients/ {CLIENTS} clients x {DAYS} days ({len(logs)} logs): "
        f"queries {count}   p50 {statistics.median(times):6.1f} ms   p95 {p(times, 95):6.1f} ms"
        f"   (CPU p50 {statistics.median(cpu):5.1f} ms; load average {os.getloadavg()[0]:.1f})"
    )
    print("           targets: queries <= 10, p50 <= 50 ms")
    print(python_reference())
    if count > 10:
        sys.exit(1)


def main() -> None:
    on_each_database(__file__, run)


if __name__ == "__main__":
    main()
