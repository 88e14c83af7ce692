"""RQ glue for django_tasks' jobs, named in settings (RQ_QUEUES) and by the workers.

- `Queue` (every queue's QUEUE_CLASS) writes the enqueuing request's id into the job's
  meta, and gives a job whose keyword arguments carry `job_timeout` that timeout (the
  transcode passes one derived from its source's length); others keep the queue's
  DEFAULT_TIMEOUT.
- `Job` (the workers' `--job-class`) makes that request id current while the job runs,
  so the task's log lines carry the id of the request that started it.
"""

from typing import Any

import django_tasks_rq
from django_rq.queues import DjangoRQ

from homestretch.lib.logs import current_request_id, reset_request_id, set_request_id


class Queue(DjangoRQ):
    def create_job(self, *args: Any, **options: Any) -> Any:
        kwargs = options.get("kwargs") or {}
        if options.get("timeout") is None and kwargs.get("job_timeout"):
            options["timeout"] = int(kwargs["job_timeout"])
        request_id = current_request_id()
        if request_id:
            options["meta"] = {**(options.get("meta") or {}), "request_id": request_id}
        return super().create_job(*args, **options)


class Job(django_tasks_rq.Job):
    def perform(self) -> Any:
        token = set_request_id(str(self.meta.get("request_id", "")))
        try:
            return super().perform()
        finally:
            reset_request_id(token)
