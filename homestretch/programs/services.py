"""Writes of the programs app: self-checks, enrollments, practice logs and outcome checks.

Each function is one atomic step with keyword-only arguments; it raises a `ProgramError`
with a message fit to show the member, and views and the API turn that into a form error
or a 4xx answer.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from homestretch.accounts.models import User
from homestretch.custom.models import CustomSequenceVersion
from homestretch.library.models import Sequence
from homestretch.programs.models import (
    ClinicianClearance,
    Enrollment,
    OutcomeCheck,
    PracticeLog,
    Program,
    SelfCheck,
)
from homestretch.programs.safety import URGENT_ADVICE, active_red_flags

# A passed self-check opens enrollment for this long; after that the member answers again.
SELF_CHECK_VALID_FOR = timedelta(hours=24)
MAX_PSFS_ACTIVITIES = 3


class ProgramError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RedFlagStop(ProgramError):
    """A red flag was answered yes: the program stops here, whatever the request says."""


class StopStands(RedFlagStop):
    """An earlier red flag for this condition still stands: nothing starts, restarts or
    resumes, and no new self-check is taken, until the member states that a clinician has
    seen them since (`clearance_record`)."""

    def __init__(self, stop: SelfCheck) -> None:
        super().__init__(standing_stop_message(stop))
        self.stop = stop


def standing_stop_message(stop: SelfCheck) -> str:
    """Urgent advice first, whatever else the page or the app shows."""
    lead = f"{URGENT_ADVICE} " if stop.is_urgent else ""
    return (
        f"{lead}Your self-check of {stop.created_at:%-d %B %Y} found a reason to see a "
        "clinician, and that answer stands. When a clinician has seen you, tell us when, "
        "then take the self-check again."
    )


def standing_stop(user: User, condition: str) -> SelfCheck | None:
    """The red flag that stops every program for `condition`, if one stands: the member's
    latest self-check for that condition that found one, unless they have since stated
    that a clinician saw them. Retaking the self-check, another program for the same
    condition, a restart or a crafted request cannot step round it: every write below
    asks this first."""
    latest = (
        SelfCheck.objects.filter(user=user, program__condition=condition, has_red_flag=True)
        .select_related("program")
        .order_by("-created_at", "-pk")
        .first()
    )
    if latest is None or ClinicianClearance.objects.filter(self_check=latest).exists():
        return None
    return latest


def _lock_member(user: User) -> None:
    """Lock the member's row: self-checks, statements and enrollments of one member are
    taken one after the other, so two requests at once cannot slip past a stop."""
    User.objects.select_for_update().filter(pk=user.pk).first()


@dataclass(frozen=True)
class Measures:
    """Pain (NRS 0 to 10, now and over the last week) and up to three PSFS activities."""

    pain_now: int
    pain_week: int
    psfs: tuple[tuple[str, int], ...]

    def as_json(self) -> list[dict[str, object]]:
        return [{"activity": activity, "score": score} for activity, score in self.psfs]


def _check_measures(measures: Measures) -> None:
    scores = [measures.pain_now, measures.pain_week, *(score for _, score in measures.psfs)]
    if any(not 0 <= score <= 10 for score in scores):
        raise ProgramError("Every rating is a whole number from 0 to 10.")
    if len(measures.psfs) > MAX_PSFS_ACTIVITIES:
        raise ProgramError(f"Choose at most {MAX_PSFS_ACTIVITIES} activities.")
    if any(not activity.strip() for activity, _ in measures.psfs):
        raise ProgramError("Name each activity you rate.")


@transaction.atomic
def selfcheck_record(
    *,
    user: User,
    program: Program,
    answers: dict[int, bool],
    pain_areas: list[str],
    purpose: SelfCheck.Purpose = SelfCheck.Purpose.START,
) -> SelfCheck:
    """Store a self-check as answered. `answers` maps each active red flag's id to yes/no;
    a missing answer is an error, never a "no".

    1. While an earlier red flag for the program's condition stands, no new self-check is
       taken (`StopStands`): answering "no" at once must not undo a "yes".
    2. A red flag pauses the member's active program for the condition (a restart's
       self-check found it): it does not carry on either.
    """
    _lock_member(user)
    stop = standing_stop(user, program.condition)
    if stop is not None:
        raise StopStands(stop)
    flags = active_red_flags()
    missing = [flag for flag in flags if flag.pk not in answers]
    if missing:
        raise ProgramError("Answer every safety question, yes or no.")
    recorded = [
        {"question": flag.question, "urgent": flag.is_urgent, "answer": answers[flag.pk]}
        for flag in flags
    ]
    yes = [answer for answer in recorded if answer["answer"]]
    if yes:
        Enrollment.objects.filter(
            user=user, condition=program.condition, status=Enrollment.Status.ACTIVE
        ).update(status=Enrollment.Status.PAUSED, paused_on=user.local_today())
    return SelfCheck.objects.create(
        user=user,
        program=program,
        purpose=purpose,
        red_flag_answers=recorded,
        has_red_flag=bool(yes),
        is_urgent=any(answer["urgent"] for answer in yes),
        pain_areas=pain_areas,
    )


@transaction.atomic
def program_enroll(
    *,
    user: User,
    program: Program,
    self_check: SelfCheck,
    start_date: date,
    baseline: Measures,
) -> Enrollment:
    """Enroll after a passed self-check.

    1. The self-check must be this member's, for this program, recent, unused and clear of
       red flags, with no red flag standing for the condition and none answered after it:
       the server enforces the stop, whatever a page or a crafted request sends.
    2. A restart ends the member's current enrollment in the same program first.
    3. One current enrollment per condition; the database constraint backs this check.
    4. The baseline outcome check (day 0) is stored with the enrollment.
    """
    if self_check.user_id != user.pk or self_check.program_id != program.pk:
        raise ProgramError("Take the safety self-check for this program first.")
    # Lock first: a self-check with a red flag recorded meanwhile is seen below.
    _lock_member(user)
    if self_check.has_red_flag:
        raise RedFlagStop(
            "Your safety self-check found a reason to see a clinician before starting."
        )
    stop = standing_stop(user, program.condition)
    if stop is not None:
        raise StopStands(stop)
    if SelfCheck.objects.filter(
        user=user,
        program__condition=program.condition,
        has_red_flag=True,
        created_at__gte=self_check.created_at,
    ).exists():
        # A clean self-check from before a red flag was answered does not count any more.
        raise ProgramError("Take the safety self-check again: a later answer replaced this one.")
    if timezone.now() - self_check.created_at > SELF_CHECK_VALID_FOR:
        raise ProgramError("Your self-check is more than a day old; please answer it again.")
    if Enrollment.objects.filter(self_check=self_check).exists():
        raise ProgramError("This self-check has already been used to start a program.")
    _check_measures(baseline)
    today = user.local_today()
    if not today - timedelta(days=7) <= start_date <= today + timedelta(days=30):
        raise ProgramError("Choose a start date from a week ago to a month ahead.")

    current = Enrollment.objects.current().filter(user=user, condition=program.condition)
    for enrollment in current:
        if self_check.purpose == SelfCheck.Purpose.RESTART and enrollment.program_id == program.pk:
            enrollment.status = Enrollment.Status.RESTARTED
            enrollment.save(update_fields=["status", "updated_at"])
        else:
            raise ProgramError(
                f"You already follow “{enrollment.program}” for this condition. "
                "Leave it first, or carry on with it."
            )
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(
                user=user,
                program=program,
                condition=program.condition,
                self_check=self_check,
                start_date=start_date,
            )
    except IntegrityError:
        raise ProgramError("You already follow a program for this condition.") from None
    OutcomeCheck.objects.create(
        user=user,
        enrollment=enrollment,
        day=0,
        pain_now=baseline.pain_now,
        pain_week=baseline.pain_week,
        psfs=baseline.as_json(),
    )
    return enrollment


@transaction.atomic
def clearance_record(
    *, user: User, stop: SelfCheck, seen_on: date, confirmed: bool
) -> ClinicianClearance:
    """The member states that a clinician has seen them since `stop` (the standing red
    flag) and said they may exercise. Kept with its date, shown to them later; it opens
    the condition's programs to a new self-check, which must then be clear too.

    `seen_on` is a day in the member's time zone, from the day of the stop to today."""
    _lock_member(user)
    if stop.user_id != user.pk or not stop.has_red_flag:
        raise ProgramError("There is no stop to answer here.")
    if standing_stop(user, stop.program.condition) != stop:
        raise ProgramError("This stop has already been answered.")
    if not confirmed:
        raise ProgramError("Tick the box to confirm that a clinician has seen you since.")
    stopped_on = stop.created_at.astimezone(user.zone).date()
    if seen_on < stopped_on:
        raise ProgramError(
            f"The clinician must have seen you since your self-check of "
            f"{stopped_on:%-d %B %Y}, not before."
        )
    if seen_on > user.local_today():
        raise ProgramError("That day is still to come. Come back after your appointment.")
    return ClinicianClearance.objects.create(
        user=user, self_check=stop, condition=stop.program.condition, seen_on=seen_on
    )


def _locked(enrollment: Enrollment) -> Enrollment:
    return Enrollment.objects.select_for_update().get(pk=enrollment.pk)


@transaction.atomic
def enrollment_pause(*, enrollment: Enrollment) -> Enrollment:
    enrollment = _locked(enrollment)
    if enrollment.status != Enrollment.Status.ACTIVE:
        raise ProgramError("Only an active program can be paused.")
    enrollment.status = Enrollment.Status.PAUSED
    enrollment.paused_on = enrollment.user.local_today()
    enrollment.save(update_fields=["status", "paused_on", "updated_at"])
    return enrollment


@transaction.atomic
def enrollment_resume(*, enrollment: Enrollment) -> Enrollment:
    """Carry on where the member paused: the calendar moves on by the days of the pause.
    Not while a red flag stands for the program's condition."""
    enrollment = _locked(enrollment)
    if enrollment.status != Enrollment.Status.PAUSED or enrollment.paused_on is None:
        raise ProgramError("Only a paused program can be resumed.")
    stop = standing_stop(enrollment.user, enrollment.condition)
    if stop is not None:
        raise StopStands(stop)
    enrollment.start_date += enrollment.user.local_today() - enrollment.paused_on
    enrollment.status = Enrollment.Status.ACTIVE
    enrollment.paused_on = None
    enrollment.save(update_fields=["status", "paused_on", "start_date", "updated_at"])
    return enrollment


@transaction.atomic
def enrollment_leave(*, enrollment: Enrollment) -> Enrollment:
    enrollment = _locked(enrollment)
    if not enrollment.is_current:
        raise ProgramError("You are no longer in this program.")
    enrollment.status = Enrollment.Status.LEFT
    enrollment.paused_on = None
    enrollment.save(update_fields=["status", "paused_on", "updated_at"])
    return enrollment


@dataclass(frozen=True)
class LogEntry:
    done: bool
    pain_before: int | None
    pain_after: int | None
    difficulty: str
    note: str


def _check_entry(entry: LogEntry) -> None:
    for value in (entry.pain_before, entry.pain_after):
        if value is not None and not 0 <= value <= 10:
            raise ProgramError("Pain is a whole number from 0 to 10.")
    if entry.difficulty not in ("", "easy", "ok", "hard"):
        raise ProgramError("Difficulty is easy, ok or hard.")
    if len(entry.note) > 1000:
        raise ProgramError("Keep the note under 1,000 characters.")


@transaction.atomic
def log_save(
    *,
    user: User,
    sequence: Sequence | None = None,
    custom_version: CustomSequenceVersion | None = None,
    entry: LogEntry,
    enrollment: Enrollment | None = None,
    program_day: int | None = None,
    now: datetime | None = None,
    idempotency_key: str = "",
) -> tuple[PracticeLog, bool]:
    """Log a practice of a sequence or of a custom sequence's version, or edit today's log
    of the same one. Returns (log, created).

    A log sent again with the same `idempotency_key` changes nothing and returns the first.
    """
    if (sequence is None) == (custom_version is None):
        raise ProgramError("Log a sequence or a custom sequence.")
    subject: dict[str, object] = (
        {"sequence": sequence} if sequence is not None else {"custom_version": custom_version}
    )
    if idempotency_key:
        sent = PracticeLog.objects.filter(user=user, idempotency_key=idempotency_key).first()
        if sent is not None:
            return sent, False
    _check_entry(entry)
    if enrollment is not None and enrollment.user_id != user.pk:
        raise ProgramError("That program is not yours.")
    now = now or timezone.now()
    today = user.local_today(now)
    fields = {
        "done": entry.done,
        "pain_before": entry.pain_before,
        "pain_after": entry.pain_after,
        "difficulty": entry.difficulty,
        "note": entry.note.strip(),
    }
    if idempotency_key:
        fields["idempotency_key"] = idempotency_key
    log = (
        PracticeLog.objects.select_for_update()
        .filter(user=user, local_date=today, **subject)
        .first()
    )
    if log is None:
        try:
            with transaction.atomic():
                log = PracticeLog.objects.create(
                    user=user,
                    **subject,
                    enrollment=enrollment,
                    program_day=program_day,
                    logged_at=now,
                    local_date=today,
                    **fields,
                )
            return log, True
        except IntegrityError:  # the same log, sent twice at once: edit the first
            log = PracticeLog.objects.select_for_update().get(
                user=user, local_date=today, **subject
            )
    for name, value in fields.items():
        setattr(log, name, value)
    if enrollment is not None:
        log.enrollment, log.program_day = enrollment, program_day
    log.save()
    return log, False


@transaction.atomic
def log_edit(*, log: PracticeLog, entry: LogEntry, now: datetime | None = None) -> PracticeLog:
    """Change a log on the day it was made (in the member's time zone), never later."""
    _check_entry(entry)
    log = PracticeLog.objects.select_for_update().select_related("user").get(pk=log.pk)
    if log.local_date != log.user.local_today(now):
        raise ProgramError("A log can be changed on the day it was made only.")
    log.done = entry.done
    log.pain_before, log.pain_after = entry.pain_before, entry.pain_after
    log.difficulty, log.note = entry.difficulty, entry.note.strip()
    log.save()
    return log


@transaction.atomic
def outcome_record(*, enrollment: Enrollment, day: int, measures: Measures) -> OutcomeCheck:
    """Store (or redo, the same day) the outcome check of a checkpoint day."""
    _check_measures(measures)
    if not enrollment.program.days.filter(number=day, is_checkpoint=True).exists():
        raise ProgramError("That day has no outcome check.")
    check, _ = OutcomeCheck.objects.update_or_create(
        enrollment=enrollment,
        day=day,
        defaults={
            "user": enrollment.user,
            "pain_now": measures.pain_now,
            "pain_week": measures.pain_week,
            "psfs": measures.as_json(),
        },
    )
    return check
