"""Emails about comments. Each is handed to the task queue by `queue_email`, and each
carries a signed link that turns that kind of email off for its address in one click."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from homestretch.accounts.models import User
from homestretch.accounts.tasks import queue_email
from homestretch.articles.models import Comment, DigestState, EmailOptOut

DIGEST_INTERVAL = timedelta(hours=1)
_SALT = "homestretch.articles.unsubscribe"


def unsubscribe_token(email: str, topic: EmailOptOut.Topic) -> str:
    return signing.dumps({"email": email.lower(), "topic": topic.value}, salt=_SALT)


def read_unsubscribe_token(token: str) -> tuple[str, EmailOptOut.Topic]:
    """The address and topic a link was made for; raises signing.BadSignature if forged."""
    data = signing.loads(token, salt=_SALT)
    try:
        return str(data["email"]), EmailOptOut.Topic(data["topic"])
    except (KeyError, TypeError, ValueError):
        raise signing.BadSignature("not an unsubscribe token") from None


def unsubscribe_url(email: str, topic: EmailOptOut.Topic) -> str:
    return settings.SITE_URL + reverse(
        "articles:unsubscribe", args=[unsubscribe_token(email, topic)]
    )


def _send(*, to: str, topic: EmailOptOut.Topic, subject: str, template: str, context: dict) -> None:
    if not to or EmailOptOut.has(to, topic):
        return
    body = render_to_string(
        template,
        {
            **context,
            "site_url": settings.SITE_URL,
            "unsubscribe_url": unsubscribe_url(to, topic),
            "topic_label": topic.label,
        },
    )
    queue_email(
        EmailMessage(
            subject=f"[{settings.SITE_NAME}] {subject}",
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to],
        )
    )


def comment_published(comment_id: int) -> None:
    """Tell the commenter their comment is public, and the parent's author of the reply."""
    comment = (
        Comment.objects.select_related("article", "user", "parent__user")
        .filter(pk=comment_id, status=Comment.Status.APPROVED)
        .first()
    )
    if comment is None:
        return
    url = settings.SITE_URL + comment.get_absolute_url()
    _send(
        to=comment.notify_email,
        topic=EmailOptOut.Topic.PUBLISHED,
        subject="Your comment is published",
        template="articles/email/comment_published.txt",
        context={"comment": comment, "url": url},
    )
    parent = comment.parent
    if (
        parent is not None
        and parent.notify_replies
        and not parent.removed
        and parent.status == Comment.Status.APPROVED
        and parent.notify_email.lower() != comment.notify_email.lower()
    ):
        _send(
            to=parent.notify_email,
            topic=EmailOptOut.Topic.REPLIES,
            subject=f"{comment.display_name} replied to your comment",
            template="articles/email/comment_reply.txt",
            context={"comment": comment, "parent": parent, "url": url},
        )


def moderators() -> list[User]:
    perm = Permission.objects.get(content_type__app_label="accounts", codename="moderate")
    return list(
        User.objects.filter(
            Q(groups__permissions=perm) | Q(user_permissions=perm) | Q(is_superuser=True),
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


@transaction.atomic
def send_moderation_digest() -> int:
    """Email each moderator what is pending, unless a digest went out within the hour.

    Returns how many emails were queued. The state row is locked, so two workers running
    this at once send one digest between them.
    """
    state, _ = DigestState.objects.select_for_update().get_or_create(pk=1)
    now = timezone.now()
    if state.last_sent_at is not None and now < state.last_sent_at + DIGEST_INTERVAL:
        return 0
    state.scheduled_for = None
    pending = list(
        Comment.objects.filter(status=Comment.Status.PENDING)
        .select_related("article", "user")
        .order_by("created_at")
    )
    if not pending:
        state.save()
        return 0
    sent = 0
    for moderator in moderators():
        if EmailOptOut.has(moderator.email, EmailOptOut.Topic.DIGEST):
            continue
        _send(
            to=moderator.email,
            topic=EmailOptOut.Topic.DIGEST,
            subject=f"{len(pending)} comment{'s' if len(pending) != 1 else ''} awaiting moderation",
            template="articles/email/moderation_digest.txt",
            context={
                "pending": pending[:20],
                "more": max(0, len(pending) - 20),
                "count": len(pending),
                "queue_url": settings.SITE_URL + reverse("moderation:queue"),
            },
        )
        sent += 1
    state.last_sent_at = now
    state.save()
    return sent
