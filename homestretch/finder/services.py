"""Writes to the finder: credentials, profile revisions and contact messages.

Every function takes keyword arguments only and runs in one transaction; emails leave
after the commit, through the task queue. Refusals raise FinderError with a message that
is safe to show.
"""

import calendar
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from homestretch.accounts.models import User
from homestretch.accounts.tasks import queue_email
from homestretch.audit.models import record
from homestretch.finder.geocoding import geocode
from homestretch.finder.models import (
    Class,
    ContactMessage,
    Credential,
    CredentialType,
    Instructor,
    InstructorRevision,
    Location,
)
from homestretch.lib.images import resize_image
from homestretch.lib.markdown import render_comment

# Paths under /finder/ that a profile slug must not take.
RESERVED_SLUGS = {"verify"}
PHOTO_SIZES = {"photo": 800, "photo_small": 200}
MAX_PHOTO_BYTES = 5 * 1024 * 1024


class FinderError(Exception):
    """A finder request we refuse; the message is safe to show to the person."""


def render_bio(source: str) -> str:
    return render_comment(source)


def photo_versions(upload: UploadedFile) -> dict[str, ContentFile[bytes]]:
    """The photo at each size, EXIF stripped; ValidationError says why a file is refused."""
    if upload.size is not None and upload.size > MAX_PHOTO_BYTES:
        raise ValidationError(
            f"This photo is {upload.size / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_PHOTO_BYTES // 1024 // 1024} MB."
        )
    versions = {}
    for name, side in PHOTO_SIZES.items():
        upload.seek(0)
        versions[name] = resize_image(upload, max_side=side)
    return versions


def locate(*, city: str, country: str) -> tuple[float, float]:
    """Coordinates for a city in a country, or FinderError naming what we could not find."""
    found = geocode(f"{city}, {country}")
    if found.place is None:
        raise FinderError(f"We couldn't find {city} ({country}) on the map.")
    return found.place.latitude, found.place.longitude


def unique_slug(name: str) -> str:
    base = slugify(name)[:60] or "instructor"
    if base in RESERVED_SLUGS:
        base = f"{base}-1"
    slug, n = base, 1
    while Instructor.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def instructor_start(*, user: User) -> Instructor:
    """A draft profile for an instructor who has none yet; nothing public until approved."""
    # Look first: get_or_create would work out a unique slug (queries) on every call.
    existing = Instructor.objects.filter(user=user).first()
    if existing is not None:
        return existing
    instructor, _ = Instructor.objects.get_or_create(
        user=user,
        defaults={"display_name": user.get_full_name(), "slug": unique_slug(user.get_full_name())},
    )
    return instructor


# Credentials


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the 31st becomes the month's last day when it is short."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


@transaction.atomic
def credential_issue(
    *, instructor: Instructor, type: CredentialType, issued_on: date | None = None
) -> Credential:
    issued = issued_on or timezone.localdate()
    return Credential.objects.create(
        instructor=instructor,
        type=type,
        issued_on=issued,
        expires_on=add_months(issued, type.valid_months),
    )


@transaction.atomic
def credential_revoke(*, credential: Credential, by: User | None, reason: str) -> Credential:
    """Revoke at once: search and verification read revoked_at, so no cache to clear."""
    credential = Credential.objects.select_for_update().get(pk=credential.pk)
    if credential.revoked_at is not None:
        raise FinderError("This credential is already revoked.")
    credential.revoked_at = timezone.now()
    credential.revoked_reason = reason[:200]
    credential.revoked_by = by
    credential.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
    return credential


# Profile revisions

PROFILE_FIELDS = (
    "display_name",
    "bio",
    "specialties",
    "languages",
    "teaches_online",
    "teaches_in_person",
)


def snapshot(instructor: Instructor) -> dict[str, Any]:
    """The public profile as revision data: fields, locations and classes."""
    locations = list(instructor.locations.all())
    index = {location.pk: n for n, location in enumerate(locations)}
    return {
        **{name: getattr(instructor, name) for name in PROFILE_FIELDS},
        "locations": [
            {
                "name": location.name,
                "address": location.address,
                "city": location.city,
                "country": location.country,
                "latitude": location.latitude,
                "longitude": location.longitude,
            }
            for location in locations
        ],
        "classes": [
            {
                "title": c.title,
                "weekday": c.weekday,
                "start_time": c.start_time.strftime("%H:%M"),
                "timezone": c.timezone,
                "duration_minutes": c.duration_minutes,
                "location": index.get(c.location_id) if c.location_id else None,
            }
            for c in instructor.classes.all()
        ],
    }


def pending_revision(instructor: Instructor) -> InstructorRevision | None:
    return instructor.revisions.filter(status=InstructorRevision.Status.PENDING).first()


def draft(instructor: Instructor) -> dict[str, Any]:
    """What the instructor is editing: the pending revision, else the live profile."""
    revision = pending_revision(instructor)
    return dict(revision.data) if revision else snapshot(instructor)


@transaction.atomic
def revision_submit(
    *,
    instructor: Instructor,
    data: dict[str, Any],
    photo: dict[str, ContentFile[bytes]] | None = None,
) -> InstructorRevision:
    """Hold changes to the public profile for a moderator; the live profile stays as it is.

    A second edit before the decision amends the one pending revision.
    """
    instructor = Instructor.objects.select_for_update().get(pk=instructor.pk)
    if instructor.status == Instructor.Status.DRAFT:
        instructor.status = Instructor.Status.PENDING
        instructor.save(update_fields=["status", "updated_at"])
    revision = pending_revision(instructor) or InstructorRevision(instructor=instructor)
    revision.data = data
    if photo:
        for name, content in photo.items():
            getattr(revision, name).save(content.name, content, save=False)
    revision.save()
    return revision


def _describe(key: str, value: Any) -> str:
    if key == "locations":
        return "; ".join(f"{item['name']}, {item['city']}" for item in value) or "none"
    if key == "classes":
        return "; ".join(f"{item['title']} ({item['start_time']})" for item in value) or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).strip(",") or "—"


def revision_changes(revision: InstructorRevision) -> list[tuple[str, str, str]]:
    """(field, live, proposed) for each field the revision changes, for the moderator."""
    live = snapshot(revision.instructor)
    changes = [
        (key.replace("_", " "), _describe(key, live.get(key)), _describe(key, value))
        for key, value in revision.data.items()
        if live.get(key) != value
    ]
    if revision.photo:
        changes.append(("photo", "current photo", "new photo"))
    return changes


def _audit(*, moderator: User, revision: InstructorRevision, action: str, to: str) -> None:
    record(
        actor=moderator,
        action=f"profile.{action}",
        item=revision,
        from_status=InstructorRevision.Status.PENDING,
        to_status=to,
        summary=f"profile of {revision.instructor.display_name}",
    )


def _locked_pending(revision: InstructorRevision) -> InstructorRevision:
    revision = (
        InstructorRevision.objects.select_for_update()
        .select_related("instructor")
        .get(pk=revision.pk)
    )
    if revision.status != InstructorRevision.Status.PENDING:
        raise FinderError("This revision has already been decided.")
    return revision


@transaction.atomic
def revision_approve(*, revision: InstructorRevision, moderator: User) -> Instructor:
    """Make the live profile exactly the revision: fields, photo, locations, classes."""
    revision = _locked_pending(revision)
    instructor = revision.instructor
    data = revision.data
    for name in PROFILE_FIELDS:
        setattr(instructor, name, data[name])
    instructor.bio_html = render_bio(instructor.bio)
    if instructor.status in (Instructor.Status.DRAFT, Instructor.Status.PENDING):
        instructor.status = Instructor.Status.PUBLISHED  # a first profile goes live
    for name in PHOTO_SIZES:
        pending = getattr(revision, name)
        if pending:
            pending.open("rb")
            getattr(instructor, name).save(
                pending.name.rsplit("/", 1)[-1], ContentFile(pending.read()), save=False
            )
            pending.close()
    instructor.save()
    instructor.locations.all().delete()  # their classes go with them
    instructor.classes.all().delete()
    locations = [
        Location.objects.create(instructor=instructor, **location) for location in data["locations"]
    ]
    for item in data["classes"]:
        index = item["location"]
        Class.objects.create(
            instructor=instructor,
            title=item["title"],
            weekday=item["weekday"],
            start_time=item["start_time"],
            timezone=item["timezone"],
            duration_minutes=item["duration_minutes"],
            location=locations[index] if index is not None and index < len(locations) else None,
        )
    revision.status = InstructorRevision.Status.APPROVED
    revision.decided_at = timezone.now()
    revision.save(update_fields=["status", "decided_at", "updated_at"])
    _audit(moderator=moderator, revision=revision, action="approve", to=revision.status)
    return instructor


@transaction.atomic
def revision_reject(*, revision: InstructorRevision, moderator: User, note: str = "") -> None:
    revision = _locked_pending(revision)
    revision.status = InstructorRevision.Status.REJECTED
    revision.note = note[:300]
    revision.decided_at = timezone.now()
    revision.save(update_fields=["status", "note", "decided_at", "updated_at"])
    _audit(moderator=moderator, revision=revision, action="reject", to=revision.status)


# Contact relay


@transaction.atomic
def contact_send(
    *,
    instructor: Instructor,
    sender_name: str,
    sender_email: str,
    body: str,
    sender: User | None = None,
) -> ContactMessage:
    """Keep the message in the instructor's inbox and relay it by email.

    The email goes to the instructor's account address with Reply-To set to the sender,
    so answering it writes to them; the sender never sees the instructor's address.
    """
    message = ContactMessage.objects.create(
        instructor=instructor,
        sender_name=sender_name,
        sender_email=sender_email,
        sender=sender,
        body=body,
    )
    context = {"message": message, "instructor": instructor, "site_url": settings.SITE_URL}
    email = EmailMessage(
        subject=f"[{settings.SITE_NAME}] Message from {sender_name}",
        body=render_to_string("finder/email/contact.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[instructor.user.email],
        reply_to=[sender_email],
    )
    transaction.on_commit(lambda: queue_email(email))
    return message
