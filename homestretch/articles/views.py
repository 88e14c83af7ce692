import mimetypes
from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homestretch.accounts.models import User
from homestretch.articles import services
from homestretch.articles.forms import CommentEditForm, CommentForm
from homestretch.articles.models import Article, Comment, EmailOptOut, Page, Tag
from homestretch.articles.notifications import read_unsubscribe_token
from homestretch.articles.rendering import comment_list_html
from homestretch.lib.http import client_ip
from homestretch.lib.ratelimit import Rate, limited

_MINE = "articles.my_comments"  # session key: comments this browser wrote without an account
PAGE_SIZE = 12


def _member(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _my_comment_ids(request: HttpRequest) -> list[int]:
    return [int(pk) for pk in request.session.get(_MINE, [])]


def _remember(request: HttpRequest, comment: Comment) -> None:
    if comment.user_id is None:
        # The 50 most recent are plenty to show and edit within 15 minutes.
        request.session[_MINE] = [*_my_comment_ids(request), comment.pk][-50:]


def _get_own_comment(request: HttpRequest, pk: int) -> Comment:
    """The comment if this person wrote it, else 404 (never a hint that it exists)."""
    comment = get_object_or_404(Comment.objects.select_related("article", "user"), pk=pk)
    member = _member(request)
    mine = (member is not None and comment.user_id == member.pk) or (
        comment.user_id is None and comment.pk in _my_comment_ids(request)
    )
    if not mine or comment.removed:
        raise Http404("No such comment.")
    return comment


@require_GET
def article_file(request: HttpRequest, name: str) -> FileResponse:
    """An article's cover or image, from the media storage (MEDIA_ROOT is never served)."""
    try:
        file = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404("No such image.") from None
    response = FileResponse(file, content_type=mimetypes.guess_type(name)[0])
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def article_list(request: HttpRequest) -> HttpResponse:
    articles = (
        Article.objects.published()
        .select_related("author")
        .prefetch_related("tags")
        .annotate(
            comment_count=Count(
                "comments",
                filter=Q(comments__status=Comment.Status.APPROVED, comments__removed=False),
            )
        )
        .order_by("-published_at", "-pk")
    )
    query = request.GET.get("q", "").strip()[:100]
    if query:
        articles = articles.filter(
            Q(title__icontains=query) | Q(summary__icontains=query) | Q(body__icontains=query)
        )
    tag = None
    if tag_slug := request.GET.get("tag", ""):
        tag = get_object_or_404(Tag, slug=tag_slug)
        articles = articles.filter(tags=tag)
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    tags = Tag.objects.filter(articles__in=Article.objects.published()).distinct()
    return render(
        request,
        "articles/list.html",
        {
            "page": page,
            "query": query,
            "tag": tag,
            "tags": tags,
            "canonical_url": settings.SITE_URL + reverse("articles:list"),
        },
    )


def _comment_threads(request: HttpRequest, article: Article) -> tuple[list[Comment], set[int], int]:
    """Top-level comments with their replies attached, the ids of the person's own, and
    the public count; one query."""
    member = _member(request)
    my_ids = _my_comment_ids(request)
    comments = list(
        Comment.objects.filter(article=article)
        .visible_to(request.user, my_ids)
        .select_related("user")
        .defer("body", "email", "user__password")
    )
    own = {
        c.pk
        for c in comments
        if (c.user_id is not None and member is not None and c.user_id == member.pk)
        or (c.user_id is None and c.pk in my_ids)
    }
    replies: dict[int, list[Comment]] = defaultdict(list)
    for comment in comments:
        if comment.parent_id is not None:
            replies[comment.parent_id].append(comment)
    top = [c for c in comments if c.parent_id is None]
    for comment in top:
        comment.thread = replies.get(comment.pk, [])  # type: ignore[attr-defined]
    count = sum(1 for c in comments if c.status == Comment.Status.APPROVED and not c.removed)
    return top, own, count


def _render_article(
    request: HttpRequest, article: Article, form: CommentForm | None = None, status: int = 200
) -> HttpResponse:
    member = _member(request)
    reply_to = None
    if form is None:
        form = CommentForm(article=article, member=member is not None)
        reply_pk = request.GET.get("reply_to", "")
        if reply_pk.isdigit():
            reply_to = Comment.objects.filter(
                pk=int(reply_pk), article=article, status=Comment.Status.APPROVED, removed=False
            ).first()
            if reply_to is not None:
                form.initial["parent"] = reply_to.pk
    threads, own, count = _comment_threads(request, article)
    context = {
        "article": article,
        "tags": list(article.tags.all()),
        "related_sequences": list(article.related_sequences.published()),
        "threads": threads,
        "comments_html": comment_list_html(
            threads, own=own, open_for_replies=article.comments_open and article.is_public
        ),
        "comment_count": count,
        "form": form,
        "reply_to": reply_to,
        "canonical_url": settings.SITE_URL + article.get_absolute_url(),
        "site_url": settings.SITE_URL,
    }
    return render(request, "articles/detail.html", context, status=status)


def _get_article(request: HttpRequest, slug: str) -> Article:
    return get_object_or_404(
        Article.objects.visible_to(request.user).select_related("author"), slug=slug
    )


@require_GET
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _render_article(request, _get_article(request, slug))


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(request, "articles/rate_limited.html", status=429)
    response["Retry-After"] = "60"
    return response


@require_POST
def comment_create(request: HttpRequest, slug: str) -> HttpResponse:
    article = _get_article(request, slug)
    member = _member(request)
    identities = [f"ip:{client_ip(request)}"]
    if member is not None:
        identities.append(f"user:{member.pk}")
    rates = [Rate(settings.COMMENT_RATE_PER_MINUTE, 60), Rate(settings.COMMENT_RATE_PER_DAY, 86400)]
    if limited("comment", identities, rates):
        return _too_many(request)

    form = CommentForm(request.POST, article=article, member=member is not None)
    if not form.is_valid():
        return _render_article(request, article, form=form, status=400)
    data = form.cleaned_data
    parent = None
    if data.get("parent"):
        parent = Comment.objects.filter(pk=data["parent"], article=article).first()
    try:
        comment = services.comment_submit(
            article=article,
            body=data["body"],
            user=member,
            name=data.get("name", ""),
            email=data.get("email", ""),
            parent=parent,
            notify_replies=data["notify_replies"],
        )
    except services.CommentError as e:
        form.add_error(None, str(e))
        return _render_article(request, article, form=form, status=400)
    _remember(request, comment)
    if comment.status == Comment.Status.APPROVED:
        messages.success(request, "Thank you. Your comment is published.")
    else:
        # Spam is not announced as such: a person whose comment tripped a filter sees it
        # held like any other, and a moderator can still rescue it.
        messages.success(
            request, "Thank you. Your comment is awaiting moderation; only you can see it for now."
        )
    return redirect(comment.get_absolute_url())


@require_http_methods(["GET", "POST"])
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _get_own_comment(request, pk)
    if not comment.can_edit():
        messages.info(request, "Comments can be edited for 15 minutes after posting.")
        return redirect(comment.get_absolute_url())
    form = CommentEditForm(request.POST or None, instance=comment)
    if request.method == "POST":
        identities = [f"ip:{client_ip(request)}"]
        if limited("comment-edit", identities, [Rate(10, 60)]):
            return _too_many(request)
        if form.is_valid():
            try:
                services.comment_edit(comment=comment, body=form.cleaned_data["body"])
            except services.CommentError as e:
                messages.info(request, str(e))
            else:
                messages.success(
                    request, "Your change is saved and awaiting moderation before others see it."
                )
            return redirect(comment.get_absolute_url())
    return render(
        request,
        "articles/comment_edit.html",
        {"comment": comment, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _get_own_comment(request, pk)
    if request.method == "POST":
        article_url = comment.article.get_absolute_url()
        services.comment_delete(comment=comment)
        messages.success(request, "Your comment is deleted.")
        return redirect(f"{article_url}#comments")
    return render(request, "articles/comment_delete.html", {"comment": comment})


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every comment email. The signed token is the authority: no log-in."""
    try:
        email, topic = read_unsubscribe_token(token)
    except signing.BadSignature:
        return render(request, "articles/unsubscribe.html", {"invalid": True}, status=400)
    done = False
    if request.method == "POST":
        EmailOptOut.objects.get_or_create(email=email, topic=topic)
        done = True
    return render(
        request, "articles/unsubscribe.html", {"email": email, "topic": topic, "done": done}
    )


@require_GET
def page(request: HttpRequest, slug: str) -> HttpResponse:
    """/privacy/, /terms/, /contact/: the pages staff write in the admin."""
    found = get_object_or_404(Page, slug=slug)
    return render(request, "articles/page.html", {"page": found})
