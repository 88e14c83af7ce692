"""The moderation page at /moderation/: every queue a moderator works through.

Comments are its first section. Instructor profile revisions (the finder issue) join as a
second: a queryset per view, a partial template and an action view like `comments_act`,
writing to the same AuditEntry log; the keyboard script works on any `.queue-item`.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from homestretch.accounts.models import User
from homestretch.articles import services
from homestretch.articles.models import Comment
from homestretch.audit.models import AuditEntry
from homestretch.finder import services as finder_services
from homestretch.finder.models import InstructorRevision

VIEWS = {
    "pending": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "rejected": Comment.Status.REJECTED,
}
PAGE_SIZE = 50
DONE = {"approve": "Approved", "reject": "Rejected", "spam": "Marked as spam"}

View = Callable[..., HttpResponse]


def moderator_required(view: View) -> View:
    """Log in first; then only people with the moderator permission, others get 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (isinstance(request.user, User) and request.user.is_moderator):
            raise PermissionDenied("Only moderators can open the moderation queue.")
        return view(request, *args, **kwargs)

    return wrapper


def _view_name(request: HttpRequest, source: Any) -> str:
    name = str(source.get("view", "pending"))
    return name if name in VIEWS else "pending"


def _queue_context(view: str) -> dict[str, Any]:
    comments = list(
        Comment.objects.filter(status=VIEWS[view])
        .select_related("article", "user", "parent__user")
        .order_by("created_at", "pk")[:PAGE_SIZE]
    )
    history = services.history(comments)
    for comment in comments:
        comment.history = history.get(  # type: ignore[attr-defined]
            services.commenter_key(comment), {"approved": 0, "spam": 0}
        )
    counts = dict(
        Comment.objects.filter(status__in=VIEWS.values())
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {
        "view": view,
        "comments": comments,
        "tabs": [(name, status.label, counts.get(status, 0)) for name, status in VIEWS.items()],
        "log": AuditEntry.objects.for_namespace("comment", "profile").select_related("actor")[:10],
        "pending_comments": counts.get(Comment.Status.PENDING, 0),
        **_revisions_context(),
    }


def _revisions_context() -> dict[str, Any]:
    pending = InstructorRevision.objects.filter(status=InstructorRevision.Status.PENDING)
    revisions = list(pending.select_related("instructor").order_by("created_at", "pk")[:PAGE_SIZE])
    for revision in revisions:
        revision.changes = finder_services.revision_changes(revision)  # type: ignore[attr-defined]
    count = len(revisions) if len(revisions) < PAGE_SIZE else pending.count()
    return {"revisions": revisions, "pending_revisions": count}


def _swap(request: HttpRequest, section: str, context: dict[str, Any]) -> HttpResponse:
    """An htmx answer: the section acted on, and the page's pending counts out of band,
    so the summary at the top follows every decision."""
    parts = [
        render_to_string(f"moderation/queue.html#{section}", context, request=request),
        render_to_string("moderation/queue.html#pending", {**context, "oob": True}, request),
    ]
    return HttpResponse("".join(parts))


@require_GET
@moderator_required
def queue(request: HttpRequest) -> HttpResponse:
    context = _queue_context(_view_name(request, request.GET))
    return render(request, "moderation/queue.html", context)


@require_POST
@moderator_required
def comments_act(request: HttpRequest) -> HttpResponse:
    """Approve, reject or mark as spam the comments whose ids are posted (one or many)."""
    view = _view_name(request, request.POST)
    action = request.POST.get("action", "")
    ids = [int(pk) for pk in request.POST.getlist("ids") if pk.isdigit()]
    if action not in DONE:
        return HttpResponse("Unknown action.", status=400)
    assert isinstance(request.user, User)
    changed = services.comment_moderate(moderator=request.user, comment_ids=ids, action=action)
    n = len(changed)
    if not ids:
        status_message = "Select at least one comment first."
    else:
        status_message = f"{DONE[action]}: {n} comment{'s' if n != 1 else ''}."
    if request.htmx:  # type: ignore[attr-defined]
        context = {**_queue_context(view), "status_message": status_message}
        return _swap(request, "queue", context)
    messages.success(request, status_message)
    return redirect(f"{reverse('moderation:queue')}?view={view}")


@require_POST
@moderator_required
def revisions_act(request: HttpRequest) -> HttpResponse:
    """Approve or reject one instructor profile revision."""
    action = request.POST.get("action", "")
    if action not in ("approve", "reject"):
        return HttpResponse("Unknown action.", status=400)
    revision = get_object_or_404(InstructorRevision, pk=request.POST.get("id", "0") or 0)
    assert isinstance(request.user, User)
    try:
        if action == "approve":
            finder_services.revision_approve(revision=revision, moderator=request.user)
        else:
            finder_services.revision_reject(
                revision=revision, moderator=request.user, note=request.POST.get("note", "")
            )
    except finder_services.FinderError as e:
        level, status_message = messages.ERROR, str(e)
    else:
        level = messages.SUCCESS
        status_message = f"{DONE[action]}: profile of {revision.instructor.display_name}."
    if request.htmx:  # type: ignore[attr-defined]
        context = {**_queue_context("pending"), "revisions_message": status_message}
        return _swap(request, "revisions", context)
    messages.add_message(request, level, status_message)
    return redirect(f"{reverse('moderation:queue')}#revisions-heading")
