"""Homework: an instructor's clients, what each client agreed to share, and the sequences
the instructor assigns them.

Consent comes first. An instructor can only invite; a `Consent` exists once the client
accepts, and every grant, change and revocation leaves a `ConsentEvent` both sides see.
A revoked consent is kept (with `revoked_at`) so the history still reads; it shares
nothing, and a new invitation makes a new consent.

The studio app holds the instructor's pages; these models live here because both sides
use them (the client on /me/, the instructor in /studio/clients/, the API), and the
studio app has no models of its own.
"""

import secrets
from datetime import date
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> "InvitationQuerySet":
        return self.filter(state=Invitation.State.PENDING, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An instructor asked someone, by email, to share their practice. The link in the
    email is signed (see `homestretch.homework.tokens`) and carries this row's id and
    nonce; the row makes it single-use."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        CANCELLED = "cancelled", "Cancelled"

    instructor = models.ForeignKey(
        "finder.Instructor", on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(help_text="Stored in lower case.")
    nonce = models.CharField(max_length=32, unique=True, default=new_nonce, editable=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[InvitationQuerySet] = InvitationQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["email"])]

    def __str__(self) -> str:
        return f"{self.instructor} invited {self.email}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


# What a client can share, in the words both sides' pages use.
SHARE_LABELS = {
    "share_logs": "practice logs",
    "share_checks": "self-checks and outcome checks",
    "share_progress": "program progress",
}


def client_name(display_name: str, consent_id: int) -> str:
    return display_name.strip() or f"Client {consent_id}"


def _labels(item: object) -> list[str]:
    return [label for name, label in SHARE_LABELS.items() if getattr(item, name)]


class ConsentQuerySet(models.QuerySet["Consent"]):
    def active(self) -> "ConsentQuerySet":
        return self.filter(revoked_at__isnull=True)


class Consent(models.Model):
    """A client's yes to one instructor, and what they share. Nothing is shared unless a
    flag says so; logs only is the default the consent page offers."""

    instructor = models.ForeignKey(
        "finder.Instructor", on_delete=models.CASCADE, related_name="consents"
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="homework_consents"
    )
    share_logs = models.BooleanField(SHARE_LABELS["share_logs"], default=True)
    share_checks = models.BooleanField(SHARE_LABELS["share_checks"], default=False)
    share_progress = models.BooleanField(SHARE_LABELS["share_progress"], default=False)
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The client's choice on /me/: an email when this instructor assigns new homework.
    email_homework = models.BooleanField("email me when new homework is assigned", default=True)

    objects: ClassVar[ConsentQuerySet] = ConsentQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["instructor", "client"],
                condition=Q(revoked_at__isnull=True),
                name="homework_one_active_consent",
                violation_error_message="You already share with this instructor.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.client} shares with {self.instructor}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def client_name(self) -> str:
        """The client as their instructor sees them: the name they chose, or a neutral one.
        Never their email address (the consent page promises that)."""
        return client_name(self.client.display_name, self.pk)

    def shared_labels(self) -> list[str]:
        """What the client shares, in words, for both sides' pages."""
        return _labels(self)


class ConsentEvent(models.Model):
    """The audit of a consent: what the client granted, changed to, or revoked, and when."""

    class Kind(models.TextChoices):
        GRANTED = "granted", "Granted"
        CHANGED = "changed", "Changed"
        REVOKED = "revoked", "Revoked"

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # What was shared after the event (all False after a revocation).
    share_logs = models.BooleanField()
    share_checks = models.BooleanField()
    share_progress = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.consent}"

    def shared_labels(self) -> list[str]:
        return _labels(self)


class Assignment(models.Model):
    """Sequences an instructor asks a client to practise, on a schedule, between two
    dates (both inclusive, in the client's own time zone)."""

    class Schedule(models.TextChoices):
        WEEKDAYS = "weekdays", "On chosen days of the week"
        PER_WEEK = "per_week", "A number of times a week, any days"

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="assignments")
    sequences = models.ManyToManyField("library.Sequence", related_name="+", blank=True)
    # A custom sequence is assigned as the version it had then: the client practises, and
    # their history keeps, what the instructor assigned, whatever is edited later.
    custom_version = models.ForeignKey(
        "custom.CustomSequenceVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    schedule = models.CharField(max_length=10, choices=Schedule.choices)
    # ISO weekdays, Monday = 1 … Sunday = 7, for the WEEKDAYS schedule.
    weekdays = models.JSONField(default=list, blank=True)
    times_per_week = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    note = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="homework_assignment_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(schedule="weekdays", times_per_week__isnull=True)
                | Q(schedule="per_week", times_per_week__gte=1, times_per_week__lte=7),
                name="homework_assignment_schedule",
            ),
        ]

    def __str__(self) -> str:
        return f"Homework for {self.consent.client} from {self.consent.instructor}"

    def is_current(self, today: date) -> bool:
        return self.starts_on <= today <= self.ends_on

    def schedule_text(self) -> str:
        if self.schedule == self.Schedule.PER_WEEK:
            times = self.times_per_week or 0
            return f"{times} time{'s' if times != 1 else ''} a week"
        names = dict(WEEKDAY_NAMES)
        return ", ".join(names[day] for day in sorted(self.weekdays))


WEEKDAY_NAMES = [
    (1, "Monday"),
    (2, "Tuesday"),
    (3, "Wednesday"),
    (4, "Thursday"),
    (5, "Friday"),
    (6, "Saturday"),
    (7, "Sunday"),
]


class AlertDigest(models.Model):
    """An instructor's opt-in to a daily email of their clients' alerts. `last_sent_on`
    (the instructor's local day) makes sending idempotent: a day is claimed with one
    conditional UPDATE before the email goes out."""

    instructor = models.OneToOneField(
        "finder.Instructor", on_delete=models.CASCADE, related_name="alert_digest"
    )
    is_enabled = models.BooleanField("send me a daily digest of alerts", default=False)
    last_sent_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Alert digest for {self.instructor}"
