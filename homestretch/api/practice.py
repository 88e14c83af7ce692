"""Programs and the practice log as JSON: what a mobile app needs to run a program.

Everything under /api/me/ is the caller's own: another member's log is a 404, never a 403,
so ids reveal nothing.
"""

from datetime import date, datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.errors import HttpError, ValidationError
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import Field

from homestretch.accounts.models import User
from homestretch.api.errors import error_response
from homestretch.api.pagination import Mapped, Paged
from homestretch.billing.access import has_library_access
from homestretch.custom.models import CustomSequenceVersion
from homestretch.library.models import Sequence
from homestretch.practice.models import PushSubscription
from homestretch.practice.services import (
    NOT_YOURS,
    BadPractiseTime,
    NoAccess,
    PushError,
    practice_log,
    push_subscription_delete,
    push_subscription_save,
)
from homestretch.programs import services
from homestretch.programs.models import Difficulty, PracticeLog, Program, SelfCheck
from homestretch.programs.progress import SAFETY_MESSAGE
from homestretch.programs.reports import needs_safety_reminder
from homestretch.programs.safety import (
    active_red_flags,
    fit_message,
    stop_message,
)
from homestretch.programs.state import (
    EnrollmentState,
    current_programs,
    enrollment_state,
)

logs_router = Router(tags=["practice log"])
push_router = Router(tags=["reminders"])
programs_router = Router(tags=["programs"])
my_programs_router = Router(tags=["programs"])

Score = Field(default=None, ge=0, le=10)
LOG_RELATED = ("sequence", "custom_version", "enrollment__program")


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _no_store(response: HttpResponse) -> None:
    response["Cache-Control"] = "private, no-store"


class LogIn(Schema):
    sequence: str = Field(
        default="", description="The sequence's slug (or give `custom_sequence` and `version`)."
    )
    custom_sequence: int | None = Field(
        default=None, ge=1, description="A custom sequence's id, to log it instead of a sequence."
    )
    version: int | None = Field(
        default=None, ge=1, description="The custom sequence's version practised (its number)."
    )
    done: bool = True
    pain_before: int | None = Score
    pain_after: int | None = Score
    difficulty: Difficulty | None = None
    note: str = Field(default="", max_length=1000)
    program: str = Field(default="", description="The program's slug, when logged from a day.")
    day: int | None = Field(default=None, ge=1)
    practised_at: datetime | None = Field(
        default=None,
        description="When it was practised, with its UTC offset (a log kept on a device "
        "without a connection, sent later): no later than now (a device's clock may run "
        "5 minutes ahead), no earlier than 7 days ago. It is saved for that time, on the "
        "member's local day of it. Leave it out for now.",
    )


class LogPatch(Schema):
    done: bool | None = None
    pain_before: int | None = Score
    pain_after: int | None = Score
    difficulty: Difficulty | None = None
    note: str | None = Field(default=None, max_length=1000)


class LogOut(Schema):
    id: int
    sequence: str | None = Field(description="The sequence's slug; null for a custom sequence.")
    sequence_title: str = Field(
        description="What was practised: the sequence's title, or the custom sequence's "
        "with its version."
    )
    custom_sequence: int | None = Field(
        default=None, description="The custom sequence's id, when one was logged."
    )
    version: int | None = Field(
        default=None, description="The custom sequence's version practised (its number)."
    )
    local_date: date
    logged_at: datetime
    done: bool
    pain_before: int | None
    pain_after: int | None
    difficulty: str
    note: str
    program: str | None
    day: int | None
    editable: bool
    safety_message: str | None = Field(
        default=None, description="Set when the last two logged pains were 8 or more."
    )


class LogsQuery(Schema):
    since: date | None = None
    until: date | None = None


def _log_out(log: PracticeLog, today: date) -> LogOut:
    version = log.custom_version
    return LogOut(
        id=log.pk,
        sequence=log.sequence.slug if log.sequence else None,
        sequence_title=log.title,
        custom_sequence=version.custom_sequence_id if version else None,
        version=version.number if version else None,
        local_date=log.local_date,
        logged_at=log.logged_at,
        done=log.done,
        pain_before=log.pain_before,
        pain_after=log.pain_after,
        difficulty=log.difficulty,
        note=log.note,
        program=log.enrollment.program.slug if log.enrollment else None,
        day=log.program_day,
        editable=log.local_date == today,
    )


def _entry(payload: LogIn | LogPatch, log: PracticeLog | None = None) -> services.LogEntry:
    def pick(name: str) -> object:
        value = getattr(payload, name)
        if name in payload.model_fields_set or log is None:
            return value
        return getattr(log, name)

    difficulty = pick("difficulty")
    return services.LogEntry(
        done=bool(pick("done")),
        pain_before=pick("pain_before"),  # type: ignore[arg-type]
        pain_after=pick("pain_after"),  # type: ignore[arg-type]
        difficulty=str(difficulty or ""),
        note=str(pick("note") or ""),
    )


@logs_router.get("", response=list[LogOut], summary="My practice log, newest first")
@paginate(Paged)
def list_logs(request: HttpRequest, response: HttpResponse, query: Query[LogsQuery]) -> Mapped:
    user = _user(request)
    logs = PracticeLog.objects.filter(user=user).select_related(*LOG_RELATED)
    if query.since:
        logs = logs.filter(local_date__gte=query.since)
    if query.until:
        logs = logs.filter(local_date__lte=query.until)
    _no_store(response)
    today = user.local_today()
    return Mapped(
        logs.order_by("-local_date", "-logged_at", "-pk"), lambda log: _log_out(log, today)
    )


def _subject(payload: LogIn) -> tuple[Sequence | None, CustomSequenceVersion | None]:
    """The sequence (by slug) or the custom sequence's version a log is about: one of
    them, named in full; an unknown custom version is refused as one not the caller's."""
    if payload.custom_sequence is None and payload.version is None:
        if not payload.sequence:
            raise _invalid("sequence", "Give a sequence's slug, or a custom sequence and version.")
        return get_object_or_404(Sequence.objects.published(), slug=payload.sequence), None
    if payload.sequence:
        raise _invalid("sequence", "Log a sequence or a custom sequence, not both.")
    if payload.custom_sequence is None:
        raise _invalid("custom_sequence", "Name the custom sequence of this version.")
    if payload.version is None:
        raise _invalid("version", "Name the version of the custom sequence practised.")
    version = CustomSequenceVersion.objects.named(payload.custom_sequence, payload.version)
    if version is None:
        raise HttpError(403, NOT_YOURS)
    return None, version


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError([{"loc": ["body", "payload", field], "msg": message}])


@logs_router.post(
    "",
    response={200: LogOut, 201: LogOut},
    summary="Log a practice (logging the same sequence again the same day edits it)",
    description="An `Idempotency-Key` header (up to 64 characters) makes a retry safe: "
    "the same key again returns the first log unchanged. A log sent with `practised_at` "
    "(made offline) is saved for that time and never overwrites a change saved since: "
    "the newer log is returned unchanged (200).",
)
def create_log(
    request: HttpRequest, response: HttpResponse, payload: LogIn
) -> Status[LogOut] | HttpResponse:
    user = _user(request)
    key = request.headers.get("Idempotency-Key", "")
    if len(key) > 64:
        raise HttpError(400, "Idempotency-Key must be at most 64 characters.")
    sequence, version = _subject(payload)
    try:
        log, created = practice_log(
            user=user,
            sequence=sequence,
            custom_version=version,
            entry=_entry(payload),
            program=payload.program,
            day=payload.day,
            idempotency_key=key,
            practised_at=payload.practised_at,
        )
    except BadPractiseTime as e:
        return error_response(
            400, e.message, fields=[{"field": "practised_at", "message": e.message}]
        )
    except NoAccess as e:
        raise HttpError(403, e.message) from None
    except services.ProgramError as e:
        raise HttpError(400, e.message) from None
    _no_store(response)
    log = PracticeLog.objects.select_related(*LOG_RELATED).get(pk=log.pk)
    out = _log_out(log, user.local_today())
    if needs_safety_reminder(user):
        out.safety_message = SAFETY_MESSAGE
    return Status(201 if created else 200, out)


def _own_log(request: HttpRequest, log_id: int) -> PracticeLog:
    return get_object_or_404(
        PracticeLog.objects.select_related(*LOG_RELATED, "user"),
        pk=log_id,
        user=_user(request),
    )


@logs_router.get("/{log_id}", response=LogOut, summary="One of my logs")
def get_log(request: HttpRequest, response: HttpResponse, log_id: int) -> LogOut:
    log = _own_log(request, log_id)
    _no_store(response)
    return _log_out(log, log.user.local_today())


@logs_router.patch("/{log_id}", response=LogOut, summary="Change today's log")
def patch_log(
    request: HttpRequest, response: HttpResponse, log_id: int, payload: LogPatch
) -> LogOut:
    log = _own_log(request, log_id)
    try:
        log = services.log_edit(log=log, entry=_entry(payload, log))
    except services.ProgramError as e:
        raise HttpError(400, e.message) from None
    _no_store(response)
    return _log_out(_own_log(request, log_id), log.user.local_today())


class ProgramOut(Schema):
    slug: str
    title: str
    condition: str
    summary: str
    safety_note: str
    days: int
    url: str


class RedFlagOut(Schema):
    id: int
    question: str


class SelfCheckIn(Schema):
    answers: dict[int, bool] = Field(description="Every red flag id, answered true or false.")
    pain_areas: list[str] = []


class SelfCheckOut(Schema):
    id: int
    stopped: bool
    urgent: bool
    message: str


class MeasuresIn(Schema):
    pain_now: int = Field(ge=0, le=10)
    pain_week: int = Field(ge=0, le=10)
    psfs: list[tuple[str, int]] = Field(default=[], max_length=3)


class EnrollIn(Schema):
    self_check: int
    start_date: date
    baseline: MeasuresIn


class EnrollmentOut(Schema):
    program: str
    status: str
    start_date: date
    day: int = Field(description="The last open day; 0 before the start date.")
    days: int
    checkpoint_due: int | None = Field(default=None, description="A checkpoint day to check.")

    @classmethod
    def of(cls, state: EnrollmentState) -> "EnrollmentOut":
        due = state.due_checkpoint
        return cls(
            program=state.enrollment.program.slug,
            status=state.enrollment.status,
            start_date=state.enrollment.start_date,
            day=state.unlocked,
            days=state.total,
            checkpoint_due=due.day.number if due else None,
        )


def _program(slug: str) -> Program:
    return get_object_or_404(Program.objects.published(), slug=slug)


@programs_router.get("", response=list[ProgramOut], auth=None, summary="Published programs")
@paginate(Paged)
def list_programs(request: HttpRequest) -> list[ProgramOut]:
    return [
        ProgramOut(
            slug=p.slug,
            title=p.title,
            condition=p.condition,
            summary=p.summary,
            safety_note=p.safety_note,
            days=len(p.days.all()),
            url=p.get_absolute_url(),
        )
        for p in Program.objects.published().prefetch_related("days")
    ]


@programs_router.get("/red-flags", response=list[RedFlagOut], summary="The self-check questions")
@paginate(Paged)
def list_red_flags(request: HttpRequest) -> list[RedFlagOut]:
    return [RedFlagOut(id=flag.pk, question=flag.question) for flag in active_red_flags()]


@programs_router.post(
    "/{slug}/self-checks", response={201: SelfCheckOut}, summary="Answer the safety self-check"
)
def create_self_check(
    request: HttpRequest, response: HttpResponse, slug: str, payload: SelfCheckIn
) -> Status[SelfCheckOut]:
    program = _program(slug)
    try:
        check = services.selfcheck_record(
            user=_user(request),
            program=program,
            answers=payload.answers,
            pain_areas=payload.pain_areas,
        )
    except services.StopStands as e:
        raise HttpError(403, e.message) from None
    except services.ProgramError as e:
        raise HttpError(400, e.message) from None
    _no_store(response)
    message = stop_message(check) if check.has_red_flag else fit_message(check.pain_areas)
    return Status(
        201,
        SelfCheckOut(
            id=check.pk, stopped=check.has_red_flag, urgent=check.is_urgent, message=message
        ),
    )


class StopOut(Schema):
    stopped: bool = Field(description="A red flag stands: nothing for this condition starts.")
    urgent: bool = False
    self_check: int | None = None
    stopped_at: datetime | None = None
    message: str = Field(default="", description="Urgent advice first, when urgent.")


class ClearanceIn(Schema):
    seen_on: date = Field(description="The day a clinician saw the member, their own day.")
    confirmed: bool = Field(description="The member confirms a clinician saw them since.")


class ClearanceOut(Schema):
    seen_on: date
    stated_at: datetime
    self_check: int


def _stop_out(stop: SelfCheck | None) -> StopOut:
    if stop is None:
        return StopOut(stopped=False)
    return StopOut(
        stopped=True,
        urgent=stop.is_urgent,
        self_check=stop.pk,
        stopped_at=stop.created_at,
        message=services.standing_stop_message(stop),
    )


@programs_router.get(
    "/{slug}/stop", response=StopOut, summary="Whether a red flag stands for this program"
)
def get_stop(request: HttpRequest, response: HttpResponse, slug: str) -> StopOut:
    program = _program(slug)
    _no_store(response)
    return _stop_out(services.standing_stop(_user(request), program.condition))


@programs_router.post(
    "/{slug}/clearances",
    response={201: ClearanceOut},
    summary="State that a clinician has seen me since the red flag",
)
def create_clearance(
    request: HttpRequest, response: HttpResponse, slug: str, payload: ClearanceIn
) -> Status[ClearanceOut]:
    program = _program(slug)
    user = _user(request)
    stop = services.standing_stop(user, program.condition)
    if stop is None:
        raise HttpError(400, "No red flag stands for this program: take the self-check.")
    try:
        clearance = services.clearance_record(
            user=user, stop=stop, seen_on=payload.seen_on, confirmed=payload.confirmed
        )
    except services.ProgramError as e:
        raise HttpError(400, e.message) from None
    _no_store(response)
    return Status(
        201,
        ClearanceOut(seen_on=clearance.seen_on, stated_at=clearance.stated_at, self_check=stop.pk),
    )


@programs_router.post(
    "/{slug}/enrollments", response={201: EnrollmentOut}, summary="Start, after a passed self-check"
)
def create_enrollment(
    request: HttpRequest, response: HttpResponse, slug: str, payload: EnrollIn
) -> Status[EnrollmentOut]:
    program = _program(slug)
    user = _user(request)
    if not has_library_access(user):
        raise HttpError(403, "Programs are part of the full library: subscribe to start.")
    self_check = user.self_checks.filter(pk=payload.self_check).first()
    if self_check is None:
        raise HttpError(400, "Take the safety self-check for this program first.")
    baseline = services.Measures(
        pain_now=payload.baseline.pain_now,
        pain_week=payload.baseline.pain_week,
        psfs=tuple(payload.baseline.psfs),
    )
    try:
        enrollment = services.program_enroll(
            user=user,
            program=program,
            self_check=self_check,
            start_date=payload.start_date,
            baseline=baseline,
        )
    except services.RedFlagStop as e:
        raise HttpError(403, e.message) from None
    except services.ProgramError as e:
        raise HttpError(400, e.message) from None
    _no_store(response)
    return Status(201, EnrollmentOut.of(enrollment_state(enrollment)))


@my_programs_router.get("", response=list[EnrollmentOut], summary="My programs in progress")
@paginate(Paged)
def list_my_programs(request: HttpRequest, response: HttpResponse) -> list[EnrollmentOut]:
    _no_store(response)
    return [EnrollmentOut.of(state) for state in current_programs(_user(request))]


class PushKeysIn(Schema):
    p256dh: str = Field(max_length=100, description="The browser's P-256 public key, base64url.")
    auth: str = Field(max_length=50, description="The browser's auth secret, base64url.")


class PushSubscriptionIn(Schema):
    """A browser's PushSubscription as its toJSON() gives it (expirationTime is ignored)."""

    endpoint: str = Field(max_length=1000, description="The push service's https URL.")
    keys: PushKeysIn


class PushSubscriptionOut(Schema):
    id: int
    client: str
    created_at: datetime
    last_success_at: datetime | None


def _push_out(subscription: PushSubscription) -> PushSubscriptionOut:
    return PushSubscriptionOut(
        id=subscription.pk,
        client=subscription.client,
        created_at=subscription.created_at,
        last_success_at=subscription.last_success_at,
    )


@push_router.get(
    "",
    response=list[PushSubscriptionOut],
    summary="My browsers that get reminders as notifications",
)
@paginate(Paged)
def list_push_subscriptions(request: HttpRequest, response: HttpResponse) -> Mapped:
    _no_store(response)
    return Mapped(PushSubscription.objects.filter(user=_user(request)), _push_out)


@push_router.post(
    "",
    response={200: PushSubscriptionOut, 201: PushSubscriptionOut},
    summary="Get practice reminders as notifications in this browser",
    description="Post the browser's PushSubscription (`pushManager.subscribe()` with the "
    "site's VAPID public key, from /me/reminders/): reminders then come as notifications "
    "too, still one a day. The same endpoint again updates its keys (200). A 400 when the "
    "site offers no push (no VAPID keys) or the endpoint is not a push service's https URL.",
)
def create_push_subscription(
    request: HttpRequest, response: HttpResponse, payload: PushSubscriptionIn
) -> Status[PushSubscriptionOut]:
    try:
        subscription, created = push_subscription_save(
            user=_user(request),
            endpoint=payload.endpoint,
            p256dh=payload.keys.p256dh,
            auth=payload.keys.auth,
            client=request.headers.get("User-Agent", ""),
        )
    except PushError as e:
        raise HttpError(400, e.message) from None
    _no_store(response)
    return Status(201 if created else 200, _push_out(subscription))


@push_router.delete(
    "/{subscription_id}", response={204: None}, summary="No more notifications in that browser"
)
def delete_push_subscription(request: HttpRequest, subscription_id: int) -> Status[None]:
    if not push_subscription_delete(user=_user(request), pk=subscription_id):
        raise HttpError(404, "Not found.")
    return Status(204, None)
