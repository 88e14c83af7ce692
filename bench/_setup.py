"""Shared set-up for benchmarks: Django on a throwaway database.

`django_on(database_url)` points Django at a fresh test database (SQLite in memory by
default, or PostgreSQL when given a URL), migrated, with media in a temporary folder.
"""

import atexit
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_on(database_url: str | None = None) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "homestretch.settings",
            "DEBUG": "false",
            "HTTPS": "false",
            "SECRET_KEY": "bench-only-secret-key-0123456789-0123456789-0123456789",
            "TASKS_BACKEND": "immediate",
            "EMAIL_URL": "locmem://",
            "MEDIA_ROOT": tempfile.mkdtemp(prefix="homestretch-bench-media-"),
            "STAFF_REQUIRE_2FA": "false",
        }
    )
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    atexit.register(connection.creation.destroy_test_db, old_name, verbosity=0)


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    """Wall times of `runs` calls, in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def p(values: list[float], percent: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


def postgres_url() -> str | None:
    """A PostgreSQL server to compare with, if one answers (BENCH_POSTGRES_URL or local)."""
    url = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    try:
        import psycopg

        psycopg.connect(url.replace("postgres://", "postgresql://"), connect_timeout=2).close()
    except Exception:
        return None
    return url


def on_each_database(script: str, run: Callable[[str | None], None]) -> None:
    """Run `run` on SQLite and, when a server answers, on PostgreSQL, each in a process of
    its own (Django's settings are read once per process)."""
    if len(sys.argv) > 1:
        run(None if sys.argv[1] == "sqlite" else sys.argv[1])
        return
    subprocess.run([sys.executable, script, "sqlite"], check=True)
    url = postgres_url()
    if url:
        subprocess.run([sys.executable, script, url], check=True)
    else:
        print("PostgreSQL: no server answered (set BENCH_POSTGRES_URL); skipped")


def python_reference() -> str:
    """How fast this machine runs plain Python, to print beside server times.

    Page times here are Python's own work, so they scale with this figure: a page at 60 ms
    on a machine that takes 300 ms for the reference is a 20 ms page on one that takes 100.
    """
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        total = 0
        for n in range(2_000_000):
            total += n % 7
        best = min(best, time.process_time() - start)
    return f"Python reference (2 million loop steps, best of 3): {best * 1000:.0f} ms"
