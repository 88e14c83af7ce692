from django_tasks import task

from homestretch.billing import services


@task()
def process_stripe_event(event_pk: int) -> None:
    """The slow part of a webhook (database work, emails), off the request."""
    services.stripe_event_process(event_pk=event_pk)
