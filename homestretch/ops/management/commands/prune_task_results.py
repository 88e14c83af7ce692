"""`manage.py prune_task_results`: forget finished background tasks older than --days.

Run daily (deploy/ has a systemd timer). With the database backend, finished task rows
pile up in the database; with RQ, failed jobs stay in Redis for a year by RQ's default,
and a finished job's result expires by itself (django-rq keeps it 500 s).
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone


class Command(BaseCommand):
    help = "Delete finished and failed background task results older than --days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=14, help="Keep this many days.")

    def handle(self, *args: Any, days: int, **options: Any) -> None:
        if settings.TASKS_BACKEND == "database":
            call_command(
                "prune_db_task_results",
                "--queue-name",
                "*",
                "--min-age-days",
                str(days),
                verbosity=options["verbosity"],
            )
        elif settings.TASKS_BACKEND == "rq":
            pruned = self._prune_rq(timezone.now() - timedelta(days=days))
            self.stdout.write(f"Deleted {pruned} failed job(s) older than {days} days.")

    def _prune_rq(self, before: Any) -> int:
        import django_rq
        from rq.registry import FailedJobRegistry, clean_registries

        pruned = 0
        for name in settings.RQ_QUEUES:
            queue = django_rq.get_queue(name)
            clean_registries(queue)  # what has expired anyway
            failed = FailedJobRegistry(queue=queue)
            for job_id in failed.get_job_ids():
                job = queue.fetch_job(job_id)
                ended = job.ended_at if job is not None else None
                if ended is not None and timezone.is_naive(ended):
                    ended = timezone.make_aware(ended, timezone.get_fixed_timezone(0))
                if job is None or ended is None or ended < before:
                    try:
                        failed.remove(job_id, delete_job=True)
                    except ValueError:
                        # A job whose worker was killed can name an execution whose own
                        # record has already expired, and RQ's delete then refuses: forget
                        # the job's keys ourselves.
                        failed.remove(job_id)
                        if job is not None:
                            queue.connection.delete(job.key, job.execution_registry.key)
                    pruned += 1
        return pruned
