"""Tiny factories for homework tests: bob the instructor, alice his client, and homework."""

from datetime import date, timedelta

from django.utils import timezone

from homestretch.accounts.models import User
from homestretch.custom.models import CustomSequenceVersion
from homestretch.finder.models import Instructor
from homestretch.finder.testing import make_instructor
from homestretch.homework import services
from homestretch.homework.models import Assignment, Consent, Invitation
from homestretch.library.models import Sequence
from homestretch.library.testing import sequence_named


def make_teacher(user: User, *, badges: tuple[str, ...] = ("NS",)) -> Instructor:
    return make_instructor(user.get_full_name(), user=user, badges=badges)


def make_consent(
    instructor: Instructor,
    client: User,
    *,
    logs: bool = True,
    checks: bool = False,
    progress: bool = False,
) -> Consent:
    """A client who accepted an invitation, through the real services."""
    invitation = Invitation.objects.create(
        instructor=instructor, email=client.email, expires_at=timezone.now() + timedelta(days=14)
    )
    return services.invitation_accept(
        invitation=invitation,
        user=client,
        shares=services.Shares(logs=logs, checks=checks, progress=progress),
    )


def make_assignment(
    consent: Consent,
    *,
    sequences: list[Sequence] | None = None,
    weekdays: tuple[int, ...] = (1, 3, 5),
    times_per_week: int | None = None,
    starts_on: date,
    ends_on: date,
    note: str = "",
) -> Assignment:
    """An assignment written straight to the database, so tests can set any dates."""
    assignment = Assignment.objects.create(
        consent=consent,
        schedule=Assignment.Schedule.PER_WEEK if times_per_week else Assignment.Schedule.WEEKDAYS,
        weekdays=[] if times_per_week else list(weekdays),
        times_per_week=times_per_week,
        starts_on=starts_on,
        ends_on=ends_on,
        note=note,
    )
    assignment.sequences.set(sequences or [sequence_named("pelvic-clock")])
    return assignment


def assign_custom(consent: Consent, version: CustomSequenceVersion) -> Assignment:
    """A custom sequence's version given every day for two weeks from the client's today,
    through the assign page's service."""
    today = consent.client.local_today()
    return services.assignment_create(
        consent=consent,
        sequences=[],
        custom_version=version,
        schedule=services.Schedule(weekdays=frozenset(range(1, 8))),
        starts_on=today,
        ends_on=today + timedelta(days=13),
    )
