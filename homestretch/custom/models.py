"""Custom sequences: an instructor's (or staff's) own order of library moves, with a cue
for each, played as one stream stitched from the source encodings (`stitch.py`).

A move is not stored: it is a chapter of a library sequence, from its start to the next
chapter's start (or the video's end), read by `moves.py`. A custom sequence keeps its
versions; a version never changes once written, so a client's log names what they
actually practised. Items keep their move as source sequence + start and end in the
source's own time line, so a re-encoded source plays on from its new encoding."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from homestretch.library.models import Sequence

TITLE_MAX = 120
NOTE_MAX = 2000
CUE_NOTE_MAX = 140
MAX_MOVES = 40
MAX_REPS = 100
MAX_HOLD_SECONDS = 600
MAX_REST_SECONDS = 600


class CustomSequence(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="custom_sequences"
    )
    title = models.CharField(max_length=TITLE_MAX)
    note = models.TextField(blank=True, max_length=NOTE_MAX, help_text="A note to the client.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Given when staff first publish it in the library (its page /library/custom/<slug>/),
    # and kept when it is unpublished, so publishing again keeps its address.
    slug = models.SlugField(max_length=140, unique=True, null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    versions: "models.Manager[CustomSequenceVersion]"

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(Lower("title"), "owner", name="custom_title_unique_per_owner")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        if self.is_published and self.slug:
            return reverse("custom_published", args=[self.slug])
        return reverse("custom:watch", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def latest_version(self) -> "CustomSequenceVersion | None":
        return self.versions.order_by("-number").first()


class CustomSequenceVersionQuerySet(models.QuerySet["CustomSequenceVersion"]):
    def named(self, custom_sequence: int, number: int) -> "CustomSequenceVersion | None":
        """The version as a log or the API names it: its custom sequence's id and number."""
        return (
            self.select_related("custom_sequence")
            .filter(custom_sequence_id=custom_sequence, number=number)
            .first()
        )


class CustomSequenceVersion(models.Model):
    """One saved state of a custom sequence: its title, note and items as they were."""

    custom_sequence = models.ForeignKey(
        CustomSequence, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=TITLE_MAX)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CustomSequenceVersionQuerySet.as_manager()

    items: "models.Manager[CustomItem]"

    class Meta:
        ordering = ["custom_sequence", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["custom_sequence", "number"], name="custom_version_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.number})"


class Side(models.TextChoices):
    NONE = "", "—"
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BOTH = "both", "Both sides"
    ALTERNATE = "alternate", "Alternating"


class CustomItem(models.Model):
    """A move in a version, with its cue. The move is held as its source sequence and its
    start and end there, with its title as it was when saved."""

    version = models.ForeignKey(
        CustomSequenceVersion, on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveIntegerField()
    # SET_NULL: a deleted source leaves the item, so the instructor is told which move is gone.
    sequence = models.ForeignKey(Sequence, on_delete=models.SET_NULL, null=True, related_name="+")
    start_seconds = models.PositiveIntegerField()
    end_seconds = models.PositiveIntegerField()
    title = models.CharField(max_length=120)
    reps = models.PositiveSmallIntegerField(null=True, blank=True)
    hold_seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    side = models.CharField(max_length=10, choices=Side.choices, blank=True, default=Side.NONE)
    note = models.CharField(max_length=CUE_NOTE_MAX, blank=True)
    rest_seconds = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "position"], name="custom_item_position_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def cue(self) -> str:
        """The cue card's one line: "10 reps · left side", "hold 30 s"."""
        parts = []
        if self.reps:
            parts.append(f"{self.reps} rep{'s' if self.reps != 1 else ''}")
        if self.hold_seconds:
            parts.append(f"hold {self.hold_seconds} s")
        if self.side:
            parts.append(Side(self.side).label.lower())
        return " · ".join(parts)
