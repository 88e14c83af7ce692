"""Homework as a way to play a sequence, for `LIBRARY_PLAY_RULES` (on when the studio sets
HOMEWORK_PLAYS_WITHOUT_SUBSCRIPTION): the library asks it without importing homework."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from homestretch.accounts.models import User
from homestretch.homework.models import Assignment
from homestretch.library.models import Sequence


def plays_as_homework(user: User | AnonymousUser, sequence: Sequence) -> bool:
    """Is `sequence` in homework the client has today (their own local day), from an
    instructor they still share with: assigned itself, or the source of a move of an
    assigned custom sequence (whose segments are the source's own)? One EXISTS query,
    asked on every playlist and segment request: revoking consent, or the homework
    ending, stops playback at the next."""
    if not isinstance(user, User):
        return False
    today = user.local_today()
    return (
        Assignment.objects.filter(
            consent__client=user,
            consent__revoked_at__isnull=True,
            starts_on__lte=today,
            ends_on__gte=today,
        )
        .filter(
            Q(
                pk__in=Assignment.sequences.through.objects.filter(sequence=sequence).values(
                    "assignment_id"
                )
            )
            | Q(custom_version__items__sequence=sequence)
        )
        .exists()
    )
