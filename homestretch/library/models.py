"""The on-demand library: sequences (guided video classes), their chapters, captions and
video encodings, collections, and each member's progress and favorites."""

import uuid
from datetime import timedelta
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from homestretch.accounts.models import Role


class Level(models.TextChoices):
    GENTLE = "gentle", "Gentle"
    STEADY = "steady", "Steady"
    STRONG = "strong", "Strong"


class Tag(models.Model):
    """A focus area or a piece of equipment; both are short labels staff manage."""

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FocusArea(Tag):
    pass


class Equipment(Tag):
    class Meta(Tag.Meta):
        verbose_name_plural = "equipment"


class SequenceQuerySet(models.QuerySet["Sequence"]):
    def published(self) -> "SequenceQuerySet":
        """Published and past their publish time: the ones anyone may see and open."""
        return self.filter(status=Sequence.Status.PUBLISHED, publish_at__lte=timezone.now())

    def coming_soon(self) -> "SequenceQuerySet":
        return self.filter(
            status=Sequence.Status.PUBLISHED, publish_at__gt=timezone.now()
        ).order_by("publish_at")

    def new_this_week(self) -> "SequenceQuerySet":
        now = timezone.now()
        return self.published().filter(publish_at__gt=now - timedelta(days=7))


class Sequence(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published (at its publish time)"

    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="taught_sequences",
        # The admin offers instructors only (searched by name or email), not every user.
        limit_choices_to={"groups__name": Role.INSTRUCTOR.value},
    )
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.GENTLE)
    focus_areas = models.ManyToManyField(FocusArea, blank=True, related_name="sequences")
    equipment = models.ManyToManyField(Equipment, blank=True, related_name="sequences")
    is_free_preview = models.BooleanField(
        "free preview", default=False, help_text="Anyone may watch it, without a subscription."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        default=timezone.now,
        db_index=True,
        help_text="A future time schedules it: it shows as coming soon until then.",
    )
    source = models.FileField(
        upload_to="sources/",
        blank=True,
        help_text="The original video. Kept for re-encoding; viewers never see it.",
    )
    duration_seconds = models.PositiveIntegerField(default=0, editable=False)
    # The encoding viewers play: switched only when a newer one has fully succeeded.
    encoding = models.OneToOneField(
        "Encoding",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[SequenceQuerySet] = SequenceQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-publish_at"]
        indexes = [models.Index(fields=["status", "publish_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:watch", args=[self.slug])

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.publish_at <= timezone.now()

    @property
    def is_playable(self) -> bool:
        return self.encoding_id is not None

    @property
    def minutes(self) -> int:
        return max(1, round(self.duration_seconds / 60)) if self.duration_seconds else 0


class Encoding(models.Model):
    """One run of the transcoder over a sequence's source, into a folder of its own.

    Folders are never reused: a run writes into a new one and the sequence switches to
    it only on success, so a crash or a kill never touches what viewers are playing.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Transcoding"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    sequence = models.ForeignKey(Sequence, on_delete=models.CASCADE, related_name="encodings")
    folder = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.FloatField(default=0)
    eta_seconds = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    heights = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Written by the worker while it transcodes: a running encoding whose heartbeat stops
    # belongs to a worker that was killed, and `encoding_reap` marks it failed.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # At most one run at a time per sequence.
            models.UniqueConstraint(
                fields=["sequence"],
                condition=Q(state__in=["queued", "running"]),
                name="library_one_active_encoding_per_sequence",
            )
        ]

    def __str__(self) -> str:
        return f"{self.sequence} ({self.get_state_display()})"

    @property
    def relative_dir(self) -> str:
        """Where its files live, under MEDIA_ROOT."""
        return f"hls/{self.folder}"


class Chapter(models.Model):
    sequence = models.ForeignKey(Sequence, on_delete=models.CASCADE, related_name="chapters")
    title = models.CharField(max_length=120)
    start_seconds = models.PositiveIntegerField()

    class Meta:
        ordering = ["start_seconds"]
        constraints = [
            models.UniqueConstraint(
                fields=["sequence", "start_seconds"], name="library_chapter_start_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Caption(models.Model):
    """A captions track, kept as validated WebVTT (SRT uploads are converted on save)."""

    sequence = models.ForeignKey(Sequence, on_delete=models.CASCADE, related_name="captions")
    language = models.CharField(max_length=12, help_text="A language code, e.g. en or de.")
    label = models.CharField(max_length=40, help_text="Shown in the player, e.g. English.")
    vtt = models.TextField("WebVTT")

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["sequence", "language"], name="library_caption_language_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sequence} ({self.language})"


class Collection(models.Model):
    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    sequences: "models.ManyToManyField[Sequence, CollectionItem]" = models.ManyToManyField(
        Sequence, through="CollectionItem", related_name="collections"
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    sequence = models.ForeignKey(Sequence, on_delete=models.CASCADE)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "sequence"], name="library_collection_item_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.collection}: {self.sequence}"


class WatchProgress(models.Model):
    """Where a member stopped in a sequence, so any device resumes there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watch_progress"
    )
    sequence = models.ForeignKey(Sequence, on_delete=models.CASCADE, related_name="+")
    position_seconds = models.FloatField(default=0)
    finished = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "sequence"], name="library_progress_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.position_seconds:.0f}s of {self.sequence}"


class PlayerPreference(models.Model):
    """The speed and captions a member last chose in the player, so every device starts there."""

    SPEEDS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="player_preference"
    )
    speed = models.FloatField(default=1.0)
    # A caption language (a Caption's `language`), or "" for captions off.
    captions = models.CharField(max_length=16, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user}: {self.speed}x, captions {self.captions or 'off'}"


class Favorite(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favorites"
    )
    sequence = models.ForeignKey(Sequence, on_delete=models.CASCADE, related_name="favorites")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "sequence"], name="library_favorite_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.sequence}"


class SearchEntry(models.Model):
    """One searchable piece of a sequence: its title and description, a chapter, or a
    caption cue. Chapters and cues carry their moment so a hit opens the video there.

    The full-text index over `text` is made by the migrations: an FTS5 table on SQLite,
    a GIN index on PostgreSQL (migration 0002).
    """

    class Kind(models.TextChoices):
        TITLE = "title", "Title"
        DESCRIPTION = "description", "Description"
        CHAPTER = "chapter", "Chapter"
        TRANSCRIPT = "transcript", "Transcript"

    sequence = models.ForeignKey(Sequence, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    text = models.TextField()
    start_seconds = models.FloatField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.kind}: {self.text[:40]}"
