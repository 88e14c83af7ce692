from django_tasks import task

from homestretch.library import services


# Transcodes have a queue of their own, so a long one never holds up emails, and the
# `video` worker can run on a machine with the CPU for it.
@task(queue_name="video")
def run_encoding(*, encoding_id: int, job_timeout: int | None = None) -> None:
    """Transcode one encoding.

    `job_timeout` is for the queue, not for the run: on RQ, `homestretch.ops.rq.Queue`
    makes it the job's timeout (`services.transcode_timeout` of the source's length).
    """
    services.encoding_cleanup()
    services.encoding_run(encoding_id=encoding_id)
