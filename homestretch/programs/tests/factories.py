"""Small makers for the reminder and calendar tests (the programs issue's shared makers
land in homestretch/programs/testing.py)."""

from datetime import date, time

from homestretch.accounts.models import User
from homestretch.programs.models import (
    Enrollment,
    Program,
    ProgramDay,
    Reminder,
    SelfCheck,
)


def make_program(
    slug: str = "si-joint", *, unlock: str = Program.Unlock.CALENDAR, days: int = 28
) -> Program:
    program = Program.objects.create(
        title=slug.replace("-", " ").title(),
        slug=slug,
        condition=slug,
        summary="A few minutes a day.",
        safety_note="Self-care, not a diagnosis.",
        unlock=unlock,
        is_published=True,
    )
    ProgramDay.objects.bulk_create(
        ProgramDay(program=program, number=n, title=f"Move {n}") for n in range(1, days + 1)
    )
    return program


def make_enrollment(
    user: User,
    program: Program,
    *,
    start_date: date,
    status: str = Enrollment.Status.ACTIVE,
) -> Enrollment:
    check = SelfCheck.objects.create(user=user, program=program)
    return Enrollment.objects.create(
        user=user,
        program=program,
        condition=program.condition,
        self_check=check,
        start_date=start_date,
        status=status,
    )


def make_reminder(
    user: User,
    *,
    at: time = time(7, 30),
    weekdays: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7),
    timezone: str | None = None,
    is_enabled: bool = True,
) -> Reminder:
    if timezone is not None:
        user.timezone = timezone
        user.save(update_fields=["timezone"])
    return Reminder.objects.create(user=user, at=at, weekdays=list(weekdays), is_enabled=is_enabled)
