"""Saving a practice log: one path for every way a member logs (a program day, the watch
page, homework on /me/, /me/logs/, a custom sequence's page, the API), with the checks it
needs in one transaction.

The log itself is the programs app's (`log_save`: one log per sequence, or custom
sequence version, and local day); this floor adds what needs homework too: who may log
what.
"""

import base64
import binascii
from datetime import date, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric import ec
from django.db import transaction
from django.utils import timezone

from homestretch.accounts.models import User
from homestretch.custom import playback
from homestretch.custom.models import CustomSequence, CustomSequenceVersion
from homestretch.homework.services import is_custom_homework, is_homework
from homestretch.library.access import may_play
from homestretch.library.models import Sequence
from homestretch.practice.models import PushSubscription
from homestretch.practice.push import endpoint_problem, push_offered
from homestretch.programs.models import PracticeLog
from homestretch.programs.services import LogEntry, ProgramError, log_save
from homestretch.programs.state import log_enrollment

NOT_YOURS = "You can log a custom sequence your instructor assigned you, or one in the library."
# A log kept on a phone without a connection is sent later with the time it was made.
# That time may run a little ahead of ours (the phone's clock), never far; and a week is
# long enough for any phone to find a connection, short enough not to rewrite history.
CLOCK_SKEW = timedelta(minutes=5)
OLDEST_PRACTICE = timedelta(days=7)


class NoAccess(ProgramError):
    """The member may not log this sequence (the API answers 403)."""


class BadPractiseTime(ProgramError):
    """`practised_at` is not a time a practice can be logged for (the API answers 400)."""


def may_log(user: User, sequence: Sequence, day: date | None = None) -> bool:
    """A member logs what they may watch, and their homework (of their local `day`, today
    unless given), which they may practise from a hands-on session without library access."""
    return may_play(user, sequence) or is_homework(user, sequence, day or user.local_today())


def practice_time(practised_at: datetime | None, now: datetime) -> datetime:
    """The instant a log is saved for: `now`, or the time it was made when it was kept
    offline, which must carry its offset, be no later than now (give or take the phone's
    clock) and no older than a week."""
    if practised_at is None:
        return now
    if timezone.is_naive(practised_at):
        raise BadPractiseTime("practised_at needs its UTC offset, e.g. 2026-03-01T08:30:00+01:00.")
    if practised_at > now + CLOCK_SKEW:
        raise BadPractiseTime("practised_at is in the future: check the device's clock.")
    if practised_at < now - OLDEST_PRACTICE:
        raise BadPractiseTime(
            f"practised_at is more than {OLDEST_PRACTICE.days} days ago: "
            "a practice that old can't be logged."
        )
    return min(practised_at, now)


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
    practised_at: datetime | None = None,
) -> tuple[PracticeLog, bool]:
    """Log a practice of a sequence or of a custom sequence's version, or edit that day's
    log of the same one. Returns (log, created). The same `idempotency_key` again (a log
    kept offline, sent twice) saves nothing new.

    1. The log is saved for `practised_at` (a log kept offline: the time it was made) or
       now, and belongs to the member's local day of that instant (BadPractiseTime for a
       time in the future or more than a week ago).
    2. The member may log this sequence (`may_log`, homework of that day) or version
       (`may_log_custom`), or NoAccess.
    3. A log made from a program day (`program` is its slug) belongs to the member's
       current enrollment, and the day must be open (ProgramError otherwise); a custom
       sequence is never a program's day.
    4. A log made offline never overwrites a change saved after it was made.
    5. `log_save` writes it, validating the entry.
    """
    at = practice_time(practised_at, now or timezone.now())
    local_day = user.local_today(at)
    if custom_version is not None:
        if sequence is not None:
            raise ProgramError("Log a sequence or a custom sequence, not both.")
        if not may_log_custom(user, custom_version):
            raise NoAccess(NOT_YOURS)
    elif sequence is None:
        raise ProgramError("Choose a sequence.")
    elif not may_log(user, sequence, local_day):
        raise NoAccess("You don't have access to this sequence.")
    enrollment = log_enrollment(user, program, day) if sequence is not None else None
    if practised_at is not None:
        # Made offline, sent later: a change saved since it was made (from another device,
        # or this same log sent before) is newer than it, and stands.
        newer = PracticeLog.objects.filter(
            user=user,
            sequence=sequence,
            custom_version=custom_version,
            local_date=local_day,
            updated_at__gt=at,
        ).first()
        if newer is not None:
            return newer, False
    return log_save(
        user=user,
        sequence=sequence,
        custom_version=custom_version,
        entry=entry,
        enrollment=enrollment,
        program_day=day if enrollment else None,
        now=at,
        idempotency_key=idempotency_key,
    )


class PushError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _key_bytes(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return b""


@transaction.atomic
def push_subscription_save(
    *, user: User, endpoint: str, p256dh: str, auth: str, client: str = ""
) -> tuple[PushSubscription, bool]:
    """Keep a browser's push subscription (its PushSubscription JSON's endpoint and keys)
    for the member's reminders. Returns (subscription, created).

    A browser has one endpoint: subscribing it again updates its keys, and a browser that
    another member subscribed before (a shared device) is now this member's.
    """
    if not push_offered():
        raise PushError("Reminders as notifications are not offered on this site.")
    if problem := endpoint_problem(endpoint):
        raise PushError(problem)
    public = _key_bytes(p256dh)
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), public)
    except ValueError:
        raise PushError("keys.p256dh is not the browser's P-256 public key.") from None
    if len(_key_bytes(auth)) != 16:
        raise PushError("keys.auth is not the browser's 16-byte auth secret.")
    subscription, created = PushSubscription.objects.select_for_update().update_or_create(
        endpoint=endpoint,
        defaults={"user": user, "p256dh": p256dh, "auth": auth, "client": client[:200]},
    )
    return subscription, created


@transaction.atomic
def push_subscription_delete(*, user: User, pk: int) -> bool:
    """Stop reminding one of the member's browsers; False when it is not theirs."""
    deleted, _ = PushSubscription.objects.filter(user=user, pk=pk).delete()
    return bool(deleted)
