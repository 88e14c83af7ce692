import zoneinfo
from datetime import date, datetime, timedelta
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from homestretch.accounts.models import validate_timezone
from homestretch.finder.codes import new_code


class Specialty(models.TextChoices):
    SI_JOINT = "si-joint", "SI joint"
    PELVIC = "pelvic", "Pelvic pain"
    POSTPARTUM = "postpartum", "Postpartum"
    LOWER_BACK = "lower-back", "Lower back"
    HIP = "hip", "Hip"
    SENIORS = "seniors", "Older adults"


# ISO 639-1 codes the finder offers as filters; profiles may list only these.
LANGUAGES = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "ja": "Japanese",
    "zh": "Chinese",
    "hi": "Hindi",
    "ar": "Arabic",
    "sw": "Swahili",
}


def _pack(values: list[str]) -> str:
    """A list stored as ',a,b,' so one value is found with `contains=',a,'` on any database."""
    return f",{','.join(sorted(set(values)))}," if values else ""


def _unpack(text: str) -> list[str]:
    return [value for value in text.split(",") if value]


class CredentialType(models.Model):
    code = models.CharField(max_length=10, unique=True, help_text="Short badge code, e.g. NS.")
    name = models.CharField(max_length=100)
    level = models.PositiveSmallIntegerField(
        default=1, help_text="Order of the levels: higher is more advanced."
    )
    description = models.TextField(blank=True)
    valid_months = models.PositiveSmallIntegerField(
        default=24, help_text="How long a credential of this type stays valid."
    )

    class Meta:
        ordering = ["-level", "code"]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class CredentialQuerySet(models.QuerySet["Credential"]):
    def valid(self, on: date | None = None) -> "CredentialQuerySet":
        today = on or timezone.localdate()
        return self.filter(revoked_at__isnull=True, issued_on__lte=today, expires_on__gte=today)


class Credential(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", "Valid"
        EXPIRED = "expired", "Expired"
        REVOKED = "revoked", "Revoked"
        NOT_YET = "not-yet", "Not yet valid"

    instructor = models.ForeignKey(
        "Instructor", on_delete=models.CASCADE, related_name="credentials"
    )
    type = models.ForeignKey(CredentialType, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=11, unique=True, default=new_code, editable=False)
    issued_on = models.DateField(default=timezone.localdate)
    expires_on = models.DateField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=200, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects: ClassVar[CredentialQuerySet] = CredentialQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-issued_on", "pk"]
        indexes = [models.Index(fields=["instructor", "type", "expires_on"])]

    def __str__(self) -> str:
        return f"{self.type.code} {self.code}"

    def get_absolute_url(self) -> str:
        return reverse("finder:verify", args=[self.code])

    def status(self, on: date | None = None) -> "Credential.Status":
        today = on or timezone.localdate()
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.expires_on < today:
            return self.Status.EXPIRED
        if self.issued_on > today:
            return self.Status.NOT_YET
        return self.Status.VALID

    @property
    def is_valid(self) -> bool:
        return self.status() == self.Status.VALID


class InstructorQuerySet(models.QuerySet["Instructor"]):
    def published(self) -> "InstructorQuerySet":
        return self.filter(status=Instructor.Status.PUBLISHED)

    def with_valid_badge(self, code: str) -> "InstructorQuerySet":
        valid = Credential.objects.valid().filter(instructor=OuterRef("pk"), type__code=code)
        return self.filter(Exists(valid))

    def with_specialty(self, specialty: str) -> "InstructorQuerySet":
        return self.filter(specialties__contains=f",{specialty},")

    def with_language(self, language: str) -> "InstructorQuerySet":
        return self.filter(languages__contains=f",{language},")


def _photo_path(instance: object, filename: str) -> str:
    return f"instructors/{filename}"


class Instructor(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PENDING = "pending", "Pending review"
        PUBLISHED = "published", "Published"
        SUSPENDED = "suspended", "Suspended"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="instructor"
    )
    slug = models.SlugField(max_length=80, unique=True)
    display_name = models.CharField(max_length=100)
    photo = models.ImageField(upload_to=_photo_path, blank=True)
    photo_small = models.ImageField(upload_to=_photo_path, blank=True)
    bio = models.TextField(blank=True, help_text="Markdown.")
    bio_html = models.TextField(blank=True, editable=False)
    specialties = models.CharField(max_length=200, blank=True)
    languages = models.CharField(max_length=100, blank=True)
    teaches_online = models.BooleanField(default=False)
    teaches_in_person = models.BooleanField(default=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[InstructorQuerySet] = InstructorQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["display_name", "pk"]
        indexes = [models.Index(fields=["status", "teaches_online"])]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("finder:profile", args=[self.slug])

    @property
    def specialty_list(self) -> list[str]:
        return _unpack(self.specialties)

    @specialty_list.setter
    def specialty_list(self, values: list[str]) -> None:
        self.specialties = _pack(values)

    @property
    def language_list(self) -> list[str]:
        return _unpack(self.languages)

    @language_list.setter
    def language_list(self, values: list[str]) -> None:
        self.languages = _pack(values)

    @property
    def specialty_labels(self) -> list[str]:
        labels = dict(Specialty.choices)
        return [labels.get(value, value) for value in self.specialty_list]

    @property
    def language_labels(self) -> list[str]:
        return [LANGUAGES.get(value, value) for value in self.language_list]


class Location(models.Model):
    instructor = models.ForeignKey(Instructor, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(max_length=100)
    address = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    country = models.CharField(max_length=2, help_text="ISO 3166 country code, e.g. DE.")
    # Set by the geocoder from city and country when left empty, or entered by staff.
    latitude = models.FloatField()
    longitude = models.FloatField()

    class Meta:
        ordering = ["pk"]
        # The search's bounding-box prefilter: a range on latitude, then on longitude.
        indexes = [models.Index(fields=["latitude", "longitude"])]

    def __str__(self) -> str:
        return f"{self.name}, {self.city}"


class Class(models.Model):
    """A weekly class at a local time in its own timezone; online when it has no location."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    instructor = models.ForeignKey(Instructor, on_delete=models.CASCADE, related_name="classes")
    title = models.CharField(max_length=100)
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField()
    timezone = models.CharField(max_length=64, validators=[validate_timezone])
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="classes"
    )

    class Meta:
        ordering = ["weekday", "start_time", "pk"]
        verbose_name_plural = "classes"

    def __str__(self) -> str:
        return f"{self.title} ({self.get_weekday_display()} {self.start_time:%H:%M})"

    @property
    def is_online(self) -> bool:
        return self.location_id is None

    def next_start(self, after: datetime | None = None) -> datetime:
        """The next time this class starts, as an aware datetime in the class's timezone.

        Built from the local date and wall-clock time each week, so a class at 18:00
        stays at 18:00 across daylight-saving changes.
        """
        zone = zoneinfo.ZoneInfo(self.timezone)
        now = (after or timezone.now()).astimezone(zone)
        days = (self.weekday - now.weekday()) % 7
        for extra in (0, 7):
            day = now.date() + timedelta(days=days + extra)
            start = datetime.combine(day, self.start_time, tzinfo=zone)
            if start > now:
                return start
        raise AssertionError("unreachable: a week later is always later")

    def first_start(self, on_or_after: date) -> datetime:
        zone = zoneinfo.ZoneInfo(self.timezone)
        day = on_or_after + timedelta(days=(self.weekday - on_or_after.weekday()) % 7)
        return datetime.combine(day, self.start_time, tzinfo=zone)


class InstructorRevision(models.Model):
    """Proposed changes to an instructor's public profile, waiting for a moderator.

    `data` is a whole snapshot of the public fields, locations and classes as the
    instructor wants them; approving it makes the profile exactly that. One revision per
    instructor is pending at a time: further edits amend it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    instructor = models.ForeignKey(Instructor, on_delete=models.CASCADE, related_name="revisions")
    data = models.JSONField()
    photo = models.ImageField(upload_to="instructors/pending/", blank=True)
    photo_small = models.ImageField(upload_to="instructors/pending/", blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    note = models.CharField(max_length=300, blank=True, help_text="Why it was rejected.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["instructor"],
                condition=Q(status="pending"),
                name="finder_one_pending_revision",
            )
        ]

    def __str__(self) -> str:
        return f"Revision of {self.instructor} ({self.status})"


class ContactMessage(models.Model):
    """A message sent through a profile's contact form, kept in the instructor's inbox."""

    instructor = models.ForeignKey(Instructor, on_delete=models.CASCADE, related_name="messages")
    sender_name = models.CharField(max_length=100)
    sender_email = models.EmailField()
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"From {self.sender_name} to {self.instructor}"
