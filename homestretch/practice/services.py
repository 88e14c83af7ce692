"""Saving a practice log: one path for every way a member logs (a program day, the watch
page, homework on /me/, /me/logs/, a custom sequence's page, the API), with the checks it
needs in one transaction.

The log itself is the programs app's (`log_save`: one log per sequence, or custom
sequence version, and local day); this floor adds what needs homework too: who may log
what.
"""

from datetime import datetime

from django.db import transaction

from homestretch.accounts.models import User
from homestretch.custom import playback
from homestretch.custom.models import CustomSequence, CustomSequenceVersion
from homestretch.homework.services import is_custom_homework, is_homework
from homestretch.library.access import may_play
from homestretch.library.models import Sequence
from homestretch.programs.models import PracticeLog
from homestretch.programs.services import LogEntry, ProgramError, log_save
from homestretch.programs.state import log_enrollment

NOT_YOURS = "You can log a custom sequence your instructor assigned you, or one in the library."


class NoAccess(ProgramError):
    """The member may not log this sequence (the API answers 403)."""


def may_log(user: User, sequence: Sequence) -> bool:
    """A member logs what they may watch, and their homework, which they may practise from
    a hands-on session without library access."""
    return may_play(user, sequence) or is_homework(user, sequence, user.local_today())


def may_log_custom(user: User, version: CustomSequenceVersion) -> bool:
    """A custom sequence's version is logged by the client it is assigned to (homework
    today), or, once staff publish it in the library, by whoever may play it."""
    if is_custom_homework(user, version, user.local_today()):
        return True
    return version.custom_sequence.status == CustomSequence.Status.PUBLISHED and (
        playback.may_watch(user, playback.items_of(version))
    )


@transaction.atomic
def practice_log(
    *,
    user: User,
    sequence: Sequence | None = None,
    custom_version: CustomSequenceVersion | None = None,
    entry: LogEntry,
    program: str = "",
    day: int | None = None,
    now: datetime | None = None,
    idempotency_key: str = "",
) -> tuple[PracticeLog, bool]:
    """Log a practice of a sequence or of a custom sequence's version, or edit today's log
    of the same one. Returns (log, created). The same `idempotency_key` again (a log kept
    offline, sent twice) saves nothing new.

    1. The member may log this sequence (`may_log`) or version (`may_log_custom`), or
       NoAccess.
    2. A log made from a program day (`program` is its slug) belongs to the member's
       current enrollment, and the day must be open (ProgramError otherwise); a custom
       sequence is never a program's day.
    3. `log_save` writes it, validating the entry.
    """
    if custom_version is not None:
        if sequence is not None:
            raise ProgramError("Log a sequence or a custom sequence, not both.")
        if not may_log_custom(user, custom_version):
            raise NoAccess(NOT_YOURS)
        return log_save(
            user=user,
            custom_version=custom_version,
            entry=entry,
            now=now,
            idempotency_key=idempotency_key,
        )
    if sequence is None:
        raise ProgramError("Choose a sequence.")
    if not may_log(user, sequence):
        raise NoAccess("You don't have access to this sequence.")
    enrollment = log_enrollment(user, program, day)
    return log_save(
        user=user,
        sequence=sequence,
        entry=entry,
        enrollment=enrollment,
        program_day=day if enrollment else None,
        now=now,
        idempotency_key=idempotency_key,
    )
