"""Whether a viewer may play a sequence: the one rule that the watch page, the video files,
the captions, the API and the practice log all ask."""

from django.contrib.auth.models import AnonymousUser

from homestretch.accounts.models import User
from homestretch.billing.access import has_library_access
from homestretch.library.models import Sequence


def may_play(
    user: User | AnonymousUser, sequence: Sequence, *, library_access: bool | None = None
) -> bool:
    """A sequence plays once it is live (staff may watch it earlier), for everyone when it
    is a free preview, and otherwise for those with library access. Asked on every
    playlist and segment request, so access that ends stops playback at the next one.

    A list asking about many sequences passes `library_access` (`has_library_access`,
    asked once) instead of one query per sequence."""
    if not (sequence.is_live or user.is_staff):
        return False
    if sequence.is_free_preview:
        return True
    return has_library_access(user) if library_access is None else library_access
