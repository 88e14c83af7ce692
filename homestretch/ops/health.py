"""What /healthz and /metrics report: can the site reach its database, cache, storage and
queues, and how far behind are the workers.

Each check answers in words ("ok", "unreachable") and logs the exception itself: the
reason stays in the server's log, never in a public reply.
"""

import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from homestretch.lib import storage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class QueueStats:
    depth: int  # jobs waiting to start
    oldest_seconds: float | None  # how long the next one has waited; None when empty


def check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        log.warning("Health check: the database is unreachable", exc_info=True)
        return False
    return True


def check_cache() -> bool:
    key, value = "healthz:probe", secrets.token_hex(8)
    try:
        cache.set(key, value, timeout=30)
        ok = cache.get(key) == value
    except Exception:
        log.warning("Health check: the cache is unreachable", exc_info=True)
        return False
    if not ok:
        log.warning("Health check: the cache did not keep a value")
    return ok


def check_storage() -> bool:
    """Uploads can be stored: MEDIA_ROOT is a writable folder, or the bucket answers the
    keys (a bucket that is unreachable, missing or refuses the keys is "unreachable")."""
    try:
        ok = storage.check()
    except Exception:
        log.warning("Health check: the media storage is unreachable", exc_info=True)
        return False
    if not ok:
        log.warning("Health check: MEDIA_ROOT is not a writable folder")
    return ok


def _age(enqueued_at: datetime | None, now: datetime) -> float | None:
    if enqueued_at is None:
        return None
    if timezone.is_naive(enqueued_at):  # RQ keeps UTC without a zone
        enqueued_at = enqueued_at.replace(tzinfo=UTC)
    return round(max(0.0, (now - enqueued_at).total_seconds()), 1)


def _rq_stats(name: str, now: datetime) -> QueueStats:
    import django_rq

    queue = django_rq.get_queue(name)
    depth = queue.count
    oldest = None
    # Jobs are pushed on the right and taken from the left: the first is the oldest.
    for job_id in queue.get_job_ids(0, 1):
        job = queue.fetch_job(job_id)
        if job is not None:
            oldest = _age(job.enqueued_at, now)
    return QueueStats(depth=depth, oldest_seconds=oldest)


def _database_stats(name: str, now: datetime) -> QueueStats:
    from django.db.models import Min
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.ready().filter(queue_name=name)
    summary = waiting.aggregate(oldest=Min("enqueued_at"))
    return QueueStats(depth=waiting.count(), oldest_seconds=_age(summary["oldest"], now))


def queue_stats() -> dict[str, QueueStats] | None:
    """Waiting jobs per queue; {} for a backend without a queue; None when unreachable."""
    now = timezone.now()
    names = settings.TASKS["default"]["QUEUES"]
    try:
        if settings.TASKS_BACKEND == "rq":
            return {name: _rq_stats(name, now) for name in names}
        if settings.TASKS_BACKEND == "database":
            return {name: _database_stats(name, now) for name in names}
    except Exception:
        log.warning("Health check: the task queue is unreachable", exc_info=True)
        return None
    return {}
