"""Who may see a custom sequence, and which of its versions.

Its owner and staff see every version, and anyone sees a published one (as its latest
version). A client sees the versions their instructor gave them, on the page they were
given them on (their homework's): that rule lives in the apps above this one, which
`CUSTOM_GIVEN_RULES` names (like `LIBRARY_PLAY_RULES`), so custom never imports them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.module_loading import import_string

from homestretch.accounts.models import User
from homestretch.custom.models import CustomSequence, CustomSequenceVersion


@dataclass(frozen=True)
class Given:
    """A version someone was given (a client's homework), and the page they watch it on."""

    version: CustomSequenceVersion
    url: str


GivenRule = Callable[[User, CustomSequence], list[Given]]


@cache
def _rules(paths: tuple[str, ...]) -> tuple[GivenRule, ...]:
    return tuple(import_string(path) for path in paths)


def given(user: User | AnonymousUser, custom: CustomSequence) -> list[Given]:
    """The versions of `custom` given to `user`, the newest gift first."""
    if not isinstance(user, User):
        return []
    return [g for rule in _rules(tuple(settings.CUSTOM_GIVEN_RULES)) for g in rule(user, custom)]


def sees_every_version(user: User | AnonymousUser, custom: CustomSequence) -> bool:
    return user.is_staff or user.pk == custom.owner_id


def may_see(user: User | AnonymousUser, custom: CustomSequence) -> bool:
    """Its owner and staff see a custom sequence, and anyone once staff publish it.
    (A client sees the one given to them through their homework's page: `given`.)"""
    return custom.is_published or sees_every_version(user, custom)


def readable_versions(user: User | AnonymousUser, custom: CustomSequence) -> list[Given]:
    """The versions of `custom` this viewer may read (its handout), each with the page they
    watch it on, the one to show first first: for its owner and staff every version, the
    latest first; for a client the versions given to them; for anyone a published one's
    latest."""
    versions = sorted(custom.versions.all(), key=lambda v: -v.number)
    offered: dict[int, Given] = {}
    if sees_every_version(user, custom):
        offered |= {v.number: Given(version=v, url=custom.get_absolute_url()) for v in versions}
    for gift in given(user, custom):
        offered.setdefault(gift.version.number, gift)
    if custom.is_published and versions:
        latest = Given(version=versions[0], url=custom.get_absolute_url())
        offered.setdefault(latest.version.number, latest)
    return list(offered.values())
