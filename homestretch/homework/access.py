"""Homework as a way to play a sequence, for `LIBRARY_PLAY_RULES` (on when the studio sets
HOMEWORK_PLAYS_WITHOUT_SUBSCRIPTION), and to see a custom sequence, for
`CUSTOM_GIVEN_RULES`: the library and custom ask them without importing homework."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.urls import reverse

from homestretch.accounts.models import User
from homestretch.custom.access import Given
from homestretch.custom.models import CustomSequence
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


def custom_given_as_homework(user: User, custom: CustomSequence) -> list[Given]:
    """The versions of `custom` assigned to `user` as homework by an instructor they still
    share with (whatever its dates, as their homework's page), the latest assignment first,
    each with that page."""
    assignments = (
        Assignment.objects.filter(
            consent__client=user,
            consent__revoked_at__isnull=True,
            custom_version__custom_sequence=custom,
        )
        .select_related("custom_version__custom_sequence")
        .order_by("-starts_on", "-pk")
    )
    return [
        Given(version=a.custom_version, url=reverse("homework:custom_sequence", args=[a.pk]))
        for a in assignments
        if a.custom_version is not None
    ]
