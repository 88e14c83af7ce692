"""Writes to comments: submit, edit, delete and moderate.

Nothing goes public without a moderator: a new comment is pending unless auto-approval
is on and the *account* has earned it, and every edit puts the comment back in the queue.
Emails go out after the transaction commits, through the task queue.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from homestretch.accounts.models import User
from homestretch.articles import notifications, tasks
from homestretch.articles.models import Article, Comment
from homestretch.audit.models import record
from homestretch.lib.markdown import count_links, render_comment

MAX_LINKS = 2


class CommentError(Exception):
    """A comment request we refuse; the message is safe to show to the person."""


@dataclass(frozen=True)
class Verdict:
    status: Comment.Status
    reason: str


def _blocked_word(text: str) -> str | None:
    lowered = text.lower()
    for word in settings.COMMENT_BLOCKED_WORDS:
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", lowered):
            return word
    return None


def _screen(body: str) -> Verdict | None:
    """Spam for a blocked word, held for too many links; None when neither applies."""
    word = _blocked_word(body)
    if word is not None:
        return Verdict(Comment.Status.SPAM, f"blocked word: {word}")
    links = count_links(body)
    if links > MAX_LINKS:
        return Verdict(Comment.Status.PENDING, f"{links} links (more than {MAX_LINKS})")
    return None


def may_auto_approve(user: User | None) -> bool:
    """Only an account's own record counts; a typed name or email never does."""
    threshold = settings.COMMENT_AUTO_APPROVE_AFTER
    if not threshold or user is None or not user.is_active:
        return False
    mine = Comment.objects.filter(user=user)
    if mine.filter(status=Comment.Status.SPAM).exists():
        return False
    return mine.filter(status=Comment.Status.APPROVED).count() >= threshold


@transaction.atomic
def comment_submit(
    *,
    article: Article,
    body: str,
    user: User | None = None,
    name: str = "",
    email: str = "",
    parent: Comment | None = None,
    notify_replies: bool = False,
) -> Comment:
    """Save a new comment, held for moderation unless it earns auto-approval.

    1. Refuse if comments are closed, or the parent is not a public comment of this article.
       A reply to a reply joins the thread of the top-level comment (one level of replies).
    2. Screen the text: a blocked word means spam, more than two links means held.
    3. Otherwise approve only for a member whose account has earned it; else pending.
    4. After commit: pending wakes the moderators' digest; approved tells the commenter
       and whoever it replies to.
    """
    if not article.is_public or not article.comments_open:
        raise CommentError("Comments are closed on this article.")
    if parent is not None:
        if parent.article_id != article.pk or parent.status != Comment.Status.APPROVED:
            raise CommentError("The comment you are replying to is not available.")
        if parent.parent_id is not None:
            parent = parent.parent
    if user is None and not (name.strip() and email.strip()):
        raise CommentError("Please give your name and email.")

    verdict = _screen(body)
    if verdict is None:
        if may_auto_approve(user):
            verdict = Verdict(Comment.Status.APPROVED, "")
        else:
            verdict = Verdict(Comment.Status.PENDING, "")
    now = timezone.now()
    comment = Comment.objects.create(
        article=article,
        parent=parent,
        user=user,
        name="" if user else name.strip(),
        email="" if user else email.strip().lower(),
        body=body,
        body_html=render_comment(body),
        status=verdict.status,
        hold_reason=verdict.reason,
        notify_replies=notify_replies,
        created_at=now,
        published_at=now if verdict.status == Comment.Status.APPROVED else None,
    )
    _after_status_change(comment, newly_published=comment.published_at is not None)
    return comment


@transaction.atomic
def comment_edit(*, comment: Comment, body: str) -> Comment:
    """Change a comment's text within the edit window; it goes back to the queue.

    A comment marked spam stays spam. An edit is never auto-approved.
    """
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if not comment.can_edit():
        raise CommentError("Comments can be edited for 15 minutes after posting.")
    verdict = _screen(body)
    if comment.status == Comment.Status.SPAM:
        status, reason = Comment.Status.SPAM, comment.hold_reason
    elif verdict is not None:
        status, reason = verdict.status, verdict.reason
    else:
        status, reason = Comment.Status.PENDING, "edited"
    comment.body = body
    comment.body_html = render_comment(body)
    comment.status = status
    comment.hold_reason = reason
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "body_html", "status", "hold_reason", "edited_at"])
    _after_status_change(comment, newly_published=False)
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment) -> None:
    """Delete the commenter's own comment.

    With replies under it, the comment stays as an empty "deleted" placeholder so the
    thread still reads; its text, name and email are erased all the same.
    """
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.replies.exists():
        comment.removed = True
        comment.body = comment.body_html = comment.name = comment.email = ""
        comment.notify_replies = False
        comment.save(
            update_fields=["removed", "body", "body_html", "name", "email", "notify_replies"]
        )
    else:
        comment.delete()


class Action:
    APPROVE = "approve"
    REJECT = "reject"
    SPAM = "spam"

    STATUS = {
        APPROVE: Comment.Status.APPROVED,
        REJECT: Comment.Status.REJECTED,
        SPAM: Comment.Status.SPAM,
    }


@transaction.atomic
def comment_moderate(*, moderator: User, comment_ids: Iterable[int], action: str) -> list[Comment]:
    """Approve, reject or mark as spam; one comment or many. Each change is logged.

    Rows are locked so two moderators acting on the same comment at once are applied one
    after the other, and a comment already in the target status is left alone (and not
    logged twice).
    """
    if action not in Action.STATUS:
        raise CommentError(f"Unknown action {action!r}.")
    if not moderator.is_moderator:
        raise CommentError("Only moderators can do that.")
    target = Action.STATUS[action]
    changed = []
    comments = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("article", "user")
        .filter(pk__in=list(comment_ids))
        .order_by("pk")
    )
    for comment in comments:
        if comment.status == target:
            continue
        before = comment.status
        comment.status = target
        newly_published = target == Comment.Status.APPROVED and comment.published_at is None
        if newly_published:
            comment.published_at = timezone.now()
        comment.save(update_fields=["status", "published_at"])
        record(
            actor=moderator,
            action=f"comment.{action}",
            item=comment,
            from_status=before,
            to_status=target,
            summary=f"comment by {comment.display_name} on “{comment.article.title}”",
        )
        _after_status_change(comment, newly_published=newly_published)
        changed.append(comment)
    return changed


def comment_approve(*, moderator: User, comment: Comment) -> list[Comment]:
    return comment_moderate(moderator=moderator, comment_ids=[comment.pk], action=Action.APPROVE)


def comment_reject(*, moderator: User, comment: Comment) -> list[Comment]:
    return comment_moderate(moderator=moderator, comment_ids=[comment.pk], action=Action.REJECT)


def comment_mark_spam(*, moderator: User, comment: Comment) -> list[Comment]:
    return comment_moderate(moderator=moderator, comment_ids=[comment.pk], action=Action.SPAM)


def _after_status_change(comment: Comment, *, newly_published: bool) -> None:
    pk = comment.pk
    if comment.status == Comment.Status.PENDING:
        transaction.on_commit(tasks.moderation_digest_request)
    elif newly_published:
        transaction.on_commit(lambda: notifications.comment_published(pk))


def history(comments: Iterable[Comment]) -> dict[str, dict[str, int]]:
    """Approved and spam counts per commenter (account, else email), in two queries."""
    comments = list(comments)
    user_ids = {c.user_id for c in comments if c.user_id}
    emails = {c.email for c in comments if not c.user_id and c.email}
    counts = {
        "approved": Count("pk", filter=Q(status=Comment.Status.APPROVED)),
        "spam": Count("pk", filter=Q(status=Comment.Status.SPAM)),
    }
    result: dict[str, dict[str, int]] = {}
    if user_ids:
        for row in (
            Comment.objects.filter(user_id__in=user_ids).values("user_id").annotate(**counts)
        ):
            result[f"user:{row['user_id']}"] = {"approved": row["approved"], "spam": row["spam"]}
    if emails:
        rows = (
            Comment.objects.filter(user__isnull=True, email__in=emails)
            .values("email")
            .annotate(**counts)
        )
        for row in rows:
            result[f"email:{row['email']}"] = {"approved": row["approved"], "spam": row["spam"]}
    return result


def commenter_key(comment: Comment) -> str:
    return f"user:{comment.user_id}" if comment.user_id else f"email:{comment.email}"
