from datetime import timedelta

import django_rq
import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from redis import Redis
from rq import Queue
from rq.registry import FailedJobRegistry

from homestretch.ops.tests.tasks import which_request
from tests.helpers import require_service


@pytest.mark.django_db
def test_it_deletes_old_finished_results_and_keeps_recent_and_waiting_ones(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_BACKEND = "database"
    old, recent, waiting = (which_request.enqueue() for _ in range(3))
    DBTaskResult.objects.filter(id__in=[old.id, recent.id]).update(
        status="SUCCESSFUL", finished_at=timezone.now()
    )
    DBTaskResult.objects.filter(id=old.id).update(finished_at=timezone.now() - timedelta(days=20))

    call_command("prune_task_results", "--days", "14", verbosity=0)

    assert set(DBTaskResult.objects.values_list("id", flat=True)) == {
        DBTaskResult.objects.get(id=recent.id).id,
        DBTaskResult.objects.get(id=waiting.id).id,
    }


def test_a_killed_jobs_leftovers_do_not_stop_the_rq_pruning(settings, monkeypatch) -> None:
    """A SIGKILLed worker leaves a failed job that names an execution whose record has
    expired; RQ's own delete raises on it, the command must still forget the job."""
    require_service("Redis", 6379)
    # Redis db 12 is this test's alone (13: the production stack, 14: the other ops tests).
    redis = Redis.from_url("redis://127.0.0.1:6379/12")
    redis.flushdb()
    try:
        queue = Queue("video", connection=redis)
        job = queue.enqueue("homestretch.ops.tests.tasks.which_request")
        queue.remove(job)
        FailedJobRegistry(queue=queue).add(job, ttl=3600)
        redis.zadd(job.execution_registry.key, {"gone-execution": 9_999_999_999})
        settings.TASKS_BACKEND = "rq"
        settings.RQ_QUEUES = {"video": {}}
        monkeypatch.setattr(django_rq, "get_queue", lambda name: queue)

        call_command("prune_task_results")

        assert FailedJobRegistry(queue=queue).get_job_ids() == []
        assert not redis.exists(job.key)
    finally:
        redis.flushdb()
