"""Articles and their public comments. Read-only and open to everyone, like the pages.

Only approved comments are ever listed or counted here: a pending comment is visible to
its writer on the article page, never through the API.
"""

from datetime import datetime

from django.db.models import Count, Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from homestretch.api.pagination import Mapped, Paged
from homestretch.articles.models import Article, Comment

router = Router()
_APPROVED = Q(comments__status=Comment.Status.APPROVED, comments__removed=False)


class ArticleOut(Schema):
    slug: str
    title: str
    summary: str
    published_at: datetime | None
    reading_minutes: int
    tags: list[str]
    comment_count: int
    url: str


class HeadingOut(Schema):
    level: int
    text: str
    anchor: str


class ArticleDetailOut(ArticleOut):
    body_html: str
    toc: list[HeadingOut]
    finder_badge: str


class CommentOut(Schema):
    id: int
    parent_id: int | None
    author: str
    body_html: str
    created_at: datetime
    edited: bool


def _articles():  # type: ignore[no-untyped-def]
    return (
        Article.objects.published()
        .prefetch_related("tags")
        .annotate(comment_count=Count("comments", filter=_APPROVED))
        .order_by("-published_at", "-pk")
    )


def _article_out(article: Article) -> dict[str, object]:
    return {
        "slug": article.slug,
        "title": article.title,
        "summary": article.summary,
        "published_at": article.published_at,
        "reading_minutes": article.reading_minutes,
        "tags": [tag.name for tag in article.tags.all()],
        "comment_count": article.comment_count,  # type: ignore[attr-defined]
        "url": article.get_absolute_url(),
    }


@router.get("", response=list[ArticleOut], auth=None, summary="Published articles")
@paginate(Paged)
def list_articles(request: HttpRequest) -> Mapped:
    return Mapped(_articles(), _article_out)


@router.get("/{slug}", response=ArticleDetailOut, auth=None, summary="One article")
def get_article(request: HttpRequest, slug: str) -> dict[str, object]:
    article = get_object_or_404(_articles(), slug=slug)
    return {
        **_article_out(article),
        "body_html": article.body_html,
        "toc": article.toc,
        "finder_badge": article.finder_badge,
    }


@router.get(
    "/{slug}/comments", response=list[CommentOut], auth=None, summary="An article's comments"
)
@paginate(Paged)
def list_comments(request: HttpRequest, slug: str) -> Mapped:
    article = get_object_or_404(Article.objects.published(), slug=slug)
    comments = (
        Comment.objects.approved()
        .filter(article=article, removed=False)
        # A reply shows only while the comment it answers does, as on the page.
        .filter(Q(parent__isnull=True) | Q(parent__status=Comment.Status.APPROVED))
        .select_related("user")
        .order_by("created_at", "pk")
    )
    return Mapped(comments, _comment_out)


def _comment_out(c: Comment) -> dict[str, object]:
    return {
        "id": c.pk,
        "parent_id": c.parent_id,
        "author": c.display_name,
        "body_html": c.body_html,
        "created_at": c.created_at,
        "edited": c.edited_at is not None,
    }
