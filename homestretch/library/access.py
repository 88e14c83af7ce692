"""Whether a viewer may play a sequence: the one rule that the watch page, the video files,
the captions, the API and the practice log all ask."""

from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.module_loading import import_string

from homestretch.accounts.models import User
from homestretch.billing.access import has_library_access
from homestretch.library.models import Sequence

PlayRule = Callable[[User | AnonymousUser, Sequence], bool]


@cache
def _rules(paths: tuple[str, ...]) -> tuple[PlayRule, ...]:
    """The functions of LIBRARY_PLAY_RULES, imported once (per value of the setting, so a
    test that overrides it gets its own)."""
    return tuple(import_string(path) for path in paths)


def play_rules() -> tuple[PlayRule, ...]:
    return _rules(tuple(settings.LIBRARY_PLAY_RULES))


def may_play(
    user: User | AnonymousUser, sequence: Sequence, *, library_access: bool | None = None
) -> bool:
    """A sequence plays once it is live (staff may watch it earlier), for everyone when it
    is a free preview, otherwise for those with library access, and otherwise when one of
    `LIBRARY_PLAY_RULES` says so (homework, when the studio chooses). Asked on every
    playlist and segment request, so access that ends stops playback at the next one.

    A list asking about many sequences passes `library_access` (`has_library_access`,
    asked once) instead of one query per sequence."""
    if not (sequence.is_live or user.is_staff):
        return False
    if sequence.is_free_preview:
        return True
    if has_library_access(user) if library_access is None else library_access:
        return True
    return user.is_authenticated and any(rule(user, sequence) for rule in play_rules())
