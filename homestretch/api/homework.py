"""Homework in the API: a client's own homework, and an instructor's clients.

The instructor routes reach a client only through an active consent of theirs, with the
same rules as the studio pages: another instructor's client, a revoked consent, or data
the client does not share answer 404.
"""

from datetime import date, timedelta

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import Field

from homestretch.accounts.models import User
from homestretch.api.pagination import Paged
from homestretch.finder.models import Instructor
from homestretch.homework.dashboard import client_rows
from homestretch.homework.models import Consent
from homestretch.homework.services import current_assignments
from homestretch.programs.models import OutcomeCheck, PracticeLog

me_router = Router()
studio_router = Router()
LOG_DAYS = 90


class HomeworkSequenceOut(Schema):
    id: int
    slug: str
    title: str


class HomeworkOut(Schema):
    id: int
    instructor: str
    sequences: list[HomeworkSequenceOut]
    schedule: str
    weekdays: list[int]
    times_per_week: int | None
    starts_on: date
    ends_on: date
    note: str


@me_router.get("/homework", response=list[HomeworkOut], summary="My homework")
@paginate(Paged)
def my_homework(request: HttpRequest) -> list[HomeworkOut]:
    assert isinstance(request.user, User)
    return [
        HomeworkOut(
            id=a.pk,
            instructor=a.consent.instructor.display_name,
            sequences=[
                HomeworkSequenceOut(id=s.pk, slug=s.slug, title=s.title) for s in a.sequences.all()
            ],
            schedule=a.schedule,
            weekdays=a.weekdays,
            times_per_week=a.times_per_week,
            starts_on=a.starts_on,
            ends_on=a.ends_on,
            note=a.note,
        )
        for a in current_assignments(request.user)
    ]


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
