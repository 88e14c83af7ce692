"""The progress page /me/progress/ with a year of practice logs: queries and server time.

Targets (issue 7): p50 <= 40 ms server time with 365 days of logs, and a number of queries
that does not grow with the history (the same for 30 days as for 365). Two logs a day,
a program with its baseline and two checkpoints. Requests go through Django's test client
(middleware, view, template; no network), on SQLite and, when one answers, PostgreSQL.
Wall time suffers when other work shares the cores, so the CPU time of this process is
printed beside it, with the load average. Run: .venv/bin/python bench/bench_progress.py
"""

import os
import statistics
import sys
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_on, on_each_database, p, python_reference

if TYPE_CHECKING:
    from django.test import Client

URL = "/me/progress/"


def _member(email: str, days: int) -> "Client":
    from datetime import timedelta

    from django.test import Client

    from homestretch.accounts.testing import make_user
    from homestretch.programs.testing import (
        make_enrollment,
        make_logs,
        make_outcome,
        make_practice_sequence,
        make_program,
    )

    member = make_user(email, place="Berlin")
    start = member.local_today() - timedelta(days=days - 1)
    enrollment = make_enrollment(member, make_program(f"program-{days}"), start_date=start)
    make_outcome(enrollment, 14, 5, 5, (("Climbing stairs", 5),))
    make_outcome(enrollment, 28, 4, 4, (("Climbing stairs", 6),))
    # Pain drifting down and back, a missed day a week, and a second sequence most days.
    pains = [None if n % 7 == 3 else (6 - n % 4, 4 - n % 3) for n in range(days)]
    make_logs(member, pains, enrollment=enrollment)
    make_logs(member, pains[::2], sequence=make_practice_sequence("pelvic-clock"))
    client = Client()
    client.force_login(member)
    return client


def _timed(client: "Client", rounds: int) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of `rounds` requests of the page."""
    walls, cpus = [], []
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(URL)
        cpus.append((time.process_time() - cpu) * 1000)
        walls.append((time.perf_counter() - wall) * 1000)
        assert response.status_code == 200, response.status_code
    return walls, cpus


def run(database_url: str | None) -> None:
    # WhiteNoise looks for collected static files; the benchmark serves none.
    warnings.filterwarnings("ignore", message="No directory at")
    django_on(database_url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from homestretch.programs.models import PracticeLog

    name = "PostgreSQL" if database_url else "SQLite"
    counts = {}
    for days in (30, 365):
        client = _member(f"member{days}@example.com", days)
        client.get(URL)  # warm up: templates compiled, the session's last-seen written
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL)
        assert response.status_code == 200, response.status_code
        counts[days] = len(queries.captured_queries)
        walls, cpus = _timed(client, 100)
        logs = PracticeLog.objects.filter(user__email=f"member{days}@example.com").count()
        print(
            f"{name:10} {days:3} days ({logs:3} logs): queries {counts[days]:2}   "
            f"p50 {statistics.median(walls):5.1f} ms   p95 {p(walls, 95):5.1f} ms   "
            f"cpu p50 {statistics.median(cpus):5.1f} ms",
            flush=True,
        )
    same = "the same" if counts[30] == counts[365] else "DIFFERENT"
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"{name:10} queries for 30 and 365 days: {same}; target p50 <= 40 ms at 365 days")
    print(f"{name:10} load average while measured: {load} ({os.cpu_count()} cores)")
    print(python_reference())


if __name__ == "__main__":
    on_each_database(__file__, run)
