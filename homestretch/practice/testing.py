"""Tiny factories for practice tests: a member's reminder settings, and the short
programs the reminder and calendar tests follow (days titled "Move n", one condition each,
no checkpoints)."""

from datetime import time

from homestretch.accounts.models import User
from homestretch.practice.models import Reminder
from homestretch.programs.models import Program
from homestretch.programs.testing import make_program


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


def make_moves_program(
    slug: str = "si-joint", *, unlock: str = Program.Unlock.CALENDAR, days: int = 28
) -> Program:
    return make_program(
        slug, days=days, checkpoints=(), unlock=unlock, condition=slug, day_title="Move {n}"
    )
