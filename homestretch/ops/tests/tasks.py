from django_tasks import task

from homestretch.lib.logs import current_request_id


@task()
def which_request() -> str:
    """Says which request id its worker made current (test_request_ids.py)."""
    return current_request_id()
