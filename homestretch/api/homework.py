"""Homework in the API: a client's own homework, and an instructor's clients.

The instructor routes reach a client only through an active consent of theirs, with the
same rules as the studio pages: another instructor's client, a revoked consent, or data
the client does not share answer 404. Assigning goes through the service the assign page
uses (`homework.services.assignment_create`).
"""

import re
from datetime import date, timedelta

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import Field

from homestretch.accounts.models import User
from homestretch.api.pagination import Paged
from homestretch.finder.models import Instructor
from homestretch.homework import services
from homestretch.homework.dashboard import client_rows
from homestretch.homework.models import Assignment, Consent
from homestretch.homework.services import current_assignments
from homestretch.library.models import Sequence
from homestretch.programs.models import OutcomeCheck, PracticeLog

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,120}")
me_router = Router()
studio_router = Router()
LOG_DAYS = 90


class HomeworkSequenceOut(Schema):
    id: int
    slug: str
    title: str


class HomeworkCustomOut(Schema):
    id: int
    version: int = Field(description="The version assigned: later edits do not change it.")
    title: str


class HomeworkOut(Schema):
    id: int
    instructor: str
    sequences: list[HomeworkSequenceOut]
    custom_sequence: HomeworkCustomOut | None = Field(
        default=None, description="A custom sequence assigned, as its version then."
    )
    schedule: str
    weekdays: list[int]
    times_per_week: int | None
    starts_on: date
    ends_on: date
    note: str


def _homework_out(assignment: Assignment) -> HomeworkOut:
    version = assignment.custom_version
    return HomeworkOut(
        id=assignment.pk,
        instructor=assignment.consent.instructor.display_name,
        sequences=[
            HomeworkSequenceOut(id=s.pk, slug=s.slug, title=s.title)
            for s in assignment.sequences.all()
        ],
        custom_sequence=HomeworkCustomOut(
            id=version.custom_sequence_id, version=version.number, title=version.title
        )
        if version is not None
        else None,
        schedule=assignment.schedule,
        weekdays=assignment.weekdays,
        times_per_week=assignment.times_per_week,
        starts_on=assignment.starts_on,
        ends_on=assignment.ends_on,
        note=assignment.note,
    )


@me_router.get("/homework", response=list[HomeworkOut], summary="My homework")
@paginate(Paged)
def my_homework(request: HttpRequest) -> list[HomeworkOut]:
    assert isinstance(request.user, User)
    return [_homework_out(a) for a in current_assignments(request.user)]


def _instructor(request: HttpRequest) -> Instructor:
    user = request.user
    if not (isinstance(user, User) and user.is_instructor):
        raise HttpError(403, "For instructors.")
    instructor = Instructor.objects.filter(user=user).first()
    if instructor is None:
        raise HttpError(403, "For instructors.")
    return instructor


def _consent(request: HttpRequest, pk: int) -> Consent:
    return get_object_or_404(
        Consent.objects.active().select_related("client"), pk=pk, instructor=_instructor(request)
    )


class ClientOut(Schema):
    id: int
    name: str
    timezone: str
    shares: list[str]
    adherence: float | None = Field(
        description="Homework only: sessions of the assigned sequences done ÷ scheduled over "
        "the last 14 days (null: no homework due). Program practice is not counted here."
    )
    practised_days: int = Field(
        description="Days of the last 14 with any practice logged, a program's included."
    )
    last_practice: date | None
    alerts: list[str]


@studio_router.get("/clients", response=list[ClientOut], summary="My clients (instructors)")
@paginate(Paged)
def clients(request: HttpRequest) -> list[ClientOut]:
    return [
        ClientOut(
            id=row.client.consent_id,
            name=row.client.name,
            timezone=row.client.timezone,
            shares=row.client.shared_keys(),
            adherence=row.adherence.ratio if row.adherence else None,
            practised_days=row.practised_days,
            last_practice=row.last_practice,
            alerts=[alert.value for alert in row.alerts],
        )
        for row in client_rows(_instructor(request))
    ]


class ClientLogOut(Schema):
    local_date: date
    sequence: str
    done: bool
    pain_before: int | None
    pain_after: int | None
    difficulty: str
    note: str


@studio_router.get(
    "/clients/{client_id}/logs",
    response=list[ClientLogOut],
    summary="A client's practice logs, last 90 days (when shared)",
)
@paginate(Paged)
def client_logs(request: HttpRequest, client_id: int) -> list[ClientLogOut]:
    consent = _consent(request, client_id)
    if not consent.share_logs:
        raise Http404("Not shared.")
    since = consent.client.local_today() - timedelta(days=LOG_DAYS)
    return [
        ClientLogOut(
            local_date=log.local_date,
            sequence=log.title,
            done=log.done,
            pain_before=log.pain_before,
            pain_after=log.pain_after,
            difficulty=log.difficulty,
            note=log.note,
        )
        for log in PracticeLog.objects.filter(user=consent.client, local_date__gt=since)
        .select_related("sequence", "custom_version")
        .order_by("-local_date", "-logged_at")
    ]


class OutcomeOut(Schema):
    program: str
    day: int
    pain_now: int
    pain_week: int
    psfs: list[dict[str, object]]


@studio_router.get(
    "/clients/{client_id}/outcomes",
    response=list[OutcomeOut],
    summary="A client's outcome checks (when shared)",
)
@paginate(Paged)
def client_outcomes(request: HttpRequest, client_id: int) -> list[OutcomeOut]:
    consent = _consent(request, client_id)
    if not consent.share_checks:
        raise Http404("Not shared.")
    return [
        OutcomeOut(
            program=check.enrollment.program.title,
            day=check.day,
            pain_now=check.pain_now,
            pain_week=check.pain_week,
            psfs=check.psfs,
        )
        for check in OutcomeCheck.objects.filter(user=consent.client).select_related(
            "enrollment__program"
        )
    ]


class AssignmentIn(Schema):
    sequences: list[str] = Field(
        default=[], max_length=100, description="Slugs of published library sequences."
    )
    custom_sequence: int | None = Field(
        default=None,
        description="A custom sequence's id, the instructor's own or one published in the "
        "library: its current version is assigned.",
    )
    weekdays: list[int] = Field(
        default=[], max_length=7, description="ISO weekdays, Monday = 1 … Sunday = 7."
    )
    times_per_week: int | None = Field(default=None, description="Instead of weekdays: 1 to 7.")
    starts_on: date = Field(description="The client's own day.")
    ends_on: date
    note: str = Field(default="", max_length=2000)


@studio_router.post(
    "/clients/{client_id}/assignments",
    response={201: HomeworkOut},
    summary="Assign homework to a client (instructors)",
)
def assign(request: HttpRequest, client_id: int, data: AssignmentIn) -> Status:
    """The assign page's action: sequences and/or a custom sequence (as its current
    version), on a schedule, through the same service."""
    consent = _consent(request, client_id)
    user = request.user
    assert isinstance(user, User)  # _consent let only an instructor through
    if not services.has_valid_credential(consent.instructor):
        raise HttpError(403, "Assigning homework needs at least one valid credential.")
    slugs = set(data.sequences)
    sequences = (
        list(Sequence.objects.published().filter(slug__in=slugs))
        if all(SLUG.fullmatch(slug) for slug in slugs)
        else []
    )
    if len(sequences) != len(slugs):
        raise HttpError(400, "Choose sequences from the published library.")
    version = None
    if data.custom_sequence is not None:
        custom = services.assignable_custom_sequences(user).filter(pk=data.custom_sequence).first()
        version = custom.latest_version() if custom else None
        if version is None:  # another instructor's draft, or none: alike
            raise HttpError(404, "No such custom sequence of yours or in the library.")
    try:
        assignment = services.assignment_create(
            consent=consent,
            sequences=sequences,
            custom_version=version,
            schedule=services.Schedule(
                weekdays=frozenset(data.weekdays), times_per_week=data.times_per_week
            ),
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            note=data.note,
        )
    except services.HomeworkError as error:
        raise HttpError(400, error.message) from None
    return Status(201, _homework_out(assignment))
