from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from homestretch.ops.tests.tasks import which_request


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
