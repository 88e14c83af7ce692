from django_tasks import task

from homestretch.practice.models import PushSubscription
from homestretch.practice.push import push_offered, push_send


@task()
def send_push_reminder(*, user_id: int, title: str, body: str, url: str) -> int:
    """Push one reminder to each of a member's browsers; returns how many accepted it.
    Each is tried on its own: one push service down or gone does not stop the others."""
    if not push_offered():
        return 0
    message = {"title": title, "body": body, "url": url, "tag": "practice-reminder"}
    return sum(
        push_send(subscription, message)
        for subscription in PushSubscription.objects.filter(user_id=user_id)
    )
