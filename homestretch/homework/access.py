"""Homework as a way to play a sequence, for `LIBRARY_PLAY_RULES` (on when the studio sets
HOMEWORK_PLAYS_WITHOUT_SUBSCRIPTION): the library asks it without importing homework."""

from django.contrib.auth.models import AnonymousUser

from homestretch.accounts.models import User
from homestretch.homework.models import Assignment
from homestretch.library.models import Sequence


def plays_as_homework(user: User | AnonymousUser, sequence: Sequence) -> bool:
    """Is `sequence` in homework the client has today (their own local day), from an
    instructor they still share with? One EXISTS query, asked on every playlist and
    segment request: revoking consent, or the homework ending, stops playback at the next."""
    if not isinstance(user, User):
        return False
    today = user.local_today()
    return Assignment.objects.filter(
        consent__client=user,
        consent__revoked_at__isnull=True,
        starts_on__lte=today,
        ends_on__gte=today,
        sequences=sequence,
    ).exists()
