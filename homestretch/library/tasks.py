from django_tasks import task

from homestretch.library import services


@task()
def run_encoding(*, encoding_id: int) -> None:
    services.encoding_cleanup()
    services.encoding_run(encoding_id=encoding_id)
