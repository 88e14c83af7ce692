"""Background work for comments: the moderators' digest, at most one an hour."""

from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task

from homestretch.articles import notifications
from homestretch.articles.models import DigestState


@task()
def moderation_digest() -> None:
    notifications.send_moderation_digest()


def moderation_digest_request() -> None:
    """A comment is waiting: make sure a digest is on its way, without spamming moderators.

    1. If a digest is already booked, it will include this comment: nothing to do.
    2. If none went out within the hour, send one now.
    3. Otherwise book one for an hour after the last, on a backend that can run a task
       later (the database and RQ backends can). Without one, the next comment after the
       hour brings the digest.
    """
    now = timezone.now()
    with transaction.atomic():
        state, _ = DigestState.objects.select_for_update().get_or_create(pk=1)
        if (
            state.scheduled_for is not None
            and state.scheduled_for > now - notifications.DIGEST_INTERVAL
        ):
            return
        if state.last_sent_at is None or state.last_sent_at + notifications.DIGEST_INTERVAL <= now:
            due = None
        elif default_task_backend.supports_defer:
            due = state.last_sent_at + notifications.DIGEST_INTERVAL
        else:
            return
        state.scheduled_for = due or now
        state.save(update_fields=["scheduled_for"])
    if due is None:
        moderation_digest.enqueue()
    else:
        moderation_digest.using(run_after=due).enqueue()
