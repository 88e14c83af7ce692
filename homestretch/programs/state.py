"""Where a member is in a program: which days are open, which are done, what is due."""

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser

from homestretch.accounts.models import User
from homestretch.programs.models import Enrollment, OutcomeCheck, PracticeLog, ProgramDay
from homestretch.programs.progress import unlocked_days
from homestretch.programs.services import ProgramError


@dataclass
class DayState:
    day: ProgramDay
    is_open: bool
    is_logged: bool
    is_checked: bool  # for checkpoints: the outcome check is done


@dataclass
class EnrollmentState:
    enrollment: Enrollment
    days: list[DayState] = field(default_factory=list)
    unlocked: int = 0

    @property
    def current_day(self) -> DayState | None:
        """The day to do now: the last open one."""
        return self.days[self.unlocked - 1] if self.unlocked else None

    @property
    def due_checkpoint(self) -> DayState | None:
        """An open checkpoint whose outcome check is still to do."""
        return next(
            (s for s in self.days if s.is_open and s.day.is_checkpoint and not s.is_checked),
            None,
        )

    @property
    def total(self) -> int:
        return len(self.days)


def enrollment_state(enrollment: Enrollment) -> EnrollmentState:
    """Three queries whatever the program's length: days, logged days, outcome checks."""
    program = enrollment.program
    days = list(ProgramDay.objects.filter(program=program).order_by("number"))
    logged = {
        day
        for day in PracticeLog.objects.filter(enrollment=enrollment, done=True).values_list(
            "program_day", flat=True
        )
        if day is not None
    }
    checked = set(OutcomeCheck.objects.filter(enrollment=enrollment).values_list("day", flat=True))
    today = enrollment.user.local_today()
    if enrollment.status == Enrollment.Status.PAUSED and enrollment.paused_on:
        today = enrollment.paused_on  # nothing more opens while paused
    unlocked = unlocked_days(
        unlock=program.unlock,
        total_days=len(days),
        start_date=enrollment.start_date,
        today=today,
        logged_days=logged,
    )
    return EnrollmentState(
        enrollment=enrollment,
        unlocked=unlocked,
        days=[
            DayState(
                day=day,
                is_open=day.number <= unlocked,
                is_logged=day.number in logged,
                is_checked=day.number in checked,
            )
            for day in days
        ],
    )


def log_enrollment(user: User, program_slug: str, day: int | None) -> Enrollment | None:
    """The enrollment a practice log belongs to, when it was made from a program day.

    Raises ProgramError for a program the member doesn't follow or a day not open yet."""
    if not program_slug:
        return None
    enrollment = (
        Enrollment.objects.current()
        .filter(user=user, program__slug=program_slug)
        .select_related("program", "user")
        .first()
    )
    if enrollment is None:
        raise ProgramError("You are not following that program.")
    state = enrollment_state(enrollment)
    if day is None or not 1 <= day <= state.unlocked:
        raise ProgramError("That program day is not open.")
    return enrollment


def current_programs(user: User | AnonymousUser) -> list[EnrollmentState]:
    """The member's programs in progress (active or paused), for /me/ and the home page."""
    if not user.is_authenticated:
        return []
    enrollments = Enrollment.objects.current().filter(user=user).select_related("program", "user")
    return [enrollment_state(enrollment) for enrollment in enrollments]
