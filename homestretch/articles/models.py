from datetime import timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from homestretch.lib.markdown import find_links, render_article

EDIT_WINDOW = timedelta(minutes=15)


# Paths under /articles/ that are not articles.
def file_url(name: str) -> str:
    """The address of an article's cover or image: served by `articles:file` from the
    media storage, local or bucket alike, at a URL that never expires (it is pasted into
    articles' Markdown)."""
    return reverse("articles:file", args=[name])


RESERVED_SLUGS = frozenset({"feed", "comments", "unsubscribe", "files"})


class Tag(models.Model):
    name = models.CharField(max_length=40, unique=True)
    slug = models.SlugField(max_length=40, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ArticleQuerySet(models.QuerySet["Article"]):
    def published(self) -> "ArticleQuerySet":
        """Published, or scheduled with its time come: nothing has to run for it to appear."""
        return self.filter(
            status__in=[Article.Status.SCHEDULED, Article.Status.PUBLISHED],
            published_at__lte=timezone.now(),
        )

    def visible_to(self, user: Any) -> "ArticleQuerySet":
        """Staff may open drafts and scheduled articles to preview them; nobody else."""
        if user.is_authenticated and user.is_staff:
            return self.all()
        return self.published()


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=160)
    slug = models.SlugField(max_length=160, unique=True)
    summary = models.CharField(
        max_length=300, help_text="One or two sentences for the index, feeds and link previews."
    )
    body = models.TextField(help_text="Markdown. Use ## for sections; they make the contents.")
    # Derived from body by render(); kept so a page view never renders Markdown.
    body_html = models.TextField(editable=False, default="")
    toc = models.JSONField(editable=False, default=list)
    reading_minutes = models.PositiveSmallIntegerField(editable=False, default=1)
    cover = models.ImageField(upload_to="articles/covers/", blank=True)
    cover_alt = models.CharField(
        "cover description", max_length=200, blank=True, help_text="What the cover shows."
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="articles"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="When it goes public. Required unless a draft."
    )
    finder_badge = models.CharField(
        max_length=10,
        blank=True,
        help_text="Badge code for the 'find an instructor near you' link, e.g. NS.",
    )
    related_sequences = models.ManyToManyField(
        "library.Sequence",
        blank=True,
        related_name="articles",
        help_text="Shown as cards under the article (only the published ones).",
    )
    comments_open = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "published_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", args=[self.slug])

    @property
    def cover_url(self) -> str:
        return file_url(self.cover.name) if self.cover else ""

    def clean(self) -> None:
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": "This address is taken by the site; choose another."})
        if self.status != self.Status.DRAFT and self.published_at is None:
            raise ValidationError({"published_at": "Choose when this article goes public."})
        if (
            self.status == self.Status.SCHEDULED
            and self.published_at is not None
            and self.published_at <= timezone.now()
            and self._state.adding
        ):
            raise ValidationError({"published_at": "A scheduled article needs a future time."})

    def render(self) -> None:
        """Render the Markdown body into the stored HTML, contents and reading time."""
        rendered = render_article(self.body)
        self.body_html = rendered.html
        self.toc = [{"level": h.level, "text": h.text, "anchor": h.anchor} for h in rendered.toc]
        self.reading_minutes = rendered.reading_minutes

    @property
    def is_public(self) -> bool:
        return (
            self.status != self.Status.DRAFT
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )


class ArticleImage(models.Model):
    """An image for an article's body; the admin shows the Markdown to paste."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to="articles/images/")
    alt = models.CharField("description", max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.alt

    @property
    def markdown(self) -> str:
        return f"![{self.alt}]({file_url(self.image.name)})" if self.image else ""


class CommentQuerySet(models.QuerySet["Comment"]):
    def approved(self) -> "CommentQuerySet":
        return self.filter(status=Comment.Status.APPROVED)

    def visible_to(self, user: Any, own_ids: list[int]) -> "CommentQuerySet":
        """Approved comments, and the person's own pending ones.

        `own_ids` are the comments this browser wrote without an account (kept in the
        session); a member's own are theirs by account.
        """
        own = Q(pk__in=own_ids)
        if user.is_authenticated:
            own |= Q(user=user)
        return self.filter(
            Q(status=Comment.Status.APPROVED) | (own & Q(status=Comment.Status.PENDING))
        )


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    # One level of replies: a reply's parent is always a top-level comment.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    # For visitors; a member's come from the account. The email is never shown.
    name = models.CharField(max_length=80, blank=True)
    email = models.EmailField(blank=True)
    body = models.TextField(max_length=5000)
    body_html = models.TextField(editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    hold_reason = models.CharField(max_length=120, blank=True)
    notify_replies = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    # First approval; the commenter is told about that one only.
    published_at = models.DateTimeField(null=True, blank=True)
    removed = models.BooleanField(default=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["article", "status", "created_at"]),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} on {self.article_id}: {self.body[:40]}"

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#comment-{self.pk}"

    @property
    def display_name(self) -> str:
        if self.user_id is not None and self.user is not None:
            # Not get_full_name(): its fallback is the start of the email address.
            return self.user.display_name or "A member"
        return self.name or "Someone"

    @property
    def notify_email(self) -> str:
        return self.user.email if self.user is not None else self.email

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    def can_edit(self, now: Any = None) -> bool:
        return not self.removed and (now or timezone.now()) - self.created_at < EDIT_WINDOW

    def link_urls(self) -> list[str]:
        return find_links(self.body)


class EmailOptOut(models.Model):
    """An address that asked, through a signed link, for no more of one kind of email."""

    class Topic(models.TextChoices):
        PUBLISHED = "published", "Your comment is published"
        REPLIES = "replies", "Replies to your comments"
        DIGEST = "digest", "Moderation digest"

    email = models.EmailField()
    topic = models.CharField(max_length=10, choices=Topic.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["email", "topic"], name="articles_optout_unique")
        ]

    def __str__(self) -> str:
        return f"{self.email}: no {self.topic}"

    @classmethod
    def has(cls, email: str, topic: "EmailOptOut.Topic") -> bool:
        return cls.objects.filter(email=email.lower(), topic=topic).exists()


class DigestState(models.Model):
    """One row: when moderators last got a digest, and whether the next one is booked."""

    last_sent_at = models.DateTimeField(null=True, blank=True)
    scheduled_for = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager["DigestState"]] = models.Manager()

    def __str__(self) -> str:
        return f"last digest {self.last_sent_at}"


class Page(models.Model):
    """A page staff write in the admin, at a fixed address: the privacy notice, the terms,
    how to contact the studio. Markdown, rendered and sanitized (nh3) on save, like an
    article. The demo loads text of our own; a studio must make it theirs."""

    class Slug(models.TextChoices):
        PRIVACY = "privacy", "Privacy notice (/privacy/)"
        TERMS = "terms", "Terms of use (/terms/)"
        CONTACT = "contact", "Contact (/contact/)"

    slug = models.CharField(max_length=20, choices=Slug.choices, unique=True)
    title = models.CharField(max_length=120)
    body = models.TextField(help_text="Markdown: headings, lists, links, emphasis.")
    body_html = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/{self.slug}/"

    def render(self) -> None:
        self.body_html = render_article(self.body).html
