"""Tiny factories for article and comment tests."""

import time
from datetime import datetime, timedelta

from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from homestretch.accounts.models import Role, User
from homestretch.accounts.testing import make_user
from homestretch.articles.forms import form_started_token
from homestretch.articles.models import Article, Comment
from homestretch.lib.markdown import render_comment


def make_moderator(email: str = "mod@example.com") -> User:
    """A moderator who is not staff, so the staff two-factor rule does not get in the way."""
    return make_user(email, display_name="Mo", roles=(Role.MODERATOR,))


def make_article(
    slug: str = "si-joint-basics",
    *,
    title: str = "SI joint basics",
    body: str = "## Why it hurts\n\nSome words.\n\n## What helps\n\nMore words.",
    status: Article.Status = Article.Status.PUBLISHED,
    summary: str = "",
    published_at: datetime | str | None = "past",
    author: User | None = None,
    **fields: object,
) -> Article:
    if author is None:
        author = User.objects.filter(email="writer@example.com").first() or make_user(
            "writer@example.com", display_name="Wren"
        )
    when = timezone.now() - timedelta(days=1) if isinstance(published_at, str) else published_at
    article = Article(
        slug=slug,
        title=title,
        summary=summary or f"About {title}.",
        body=body,
        status=status,
        published_at=when,
        author=author,
        **fields,
    )
    article.render()
    article.save()
    return article


def make_comment(
    article: Article,
    body: str = "Thank you, this helped.",
    *,
    status: Comment.Status = Comment.Status.APPROVED,
    user: User | None = None,
    name: str = "Visitor",
    email: str = "visitor@example.net",
    **fields: object,
) -> Comment:
    return Comment.objects.create(
        article=article,
        body=body,
        body_html=render_comment(body),
        status=status,
        user=user,
        name="" if user else name,
        email="" if user else email,
        published_at=timezone.now() if status == Comment.Status.APPROVED else None,
        **fields,
    )


def comment_form(article: Article, *, waited: float = 60, **data: object) -> dict[str, object]:
    """The fields a browser would post, with the form shown `waited` seconds ago."""
    started = form_started_token(article, at=time.time() - waited)
    return {
        "name": "Vera",
        "email": "vera@example.net",
        "body": "This helped me a lot.",
        "started": started,
        "website": "",
        **data,
    }


def post_comment(
    client: Client, article: Article, *, waited: float = 60, **data: object
) -> HttpResponse:
    form = comment_form(article, waited=waited, **data)
    return client.post(f"/articles/{article.slug}/comments/", form)  # type: ignore[return-value]
