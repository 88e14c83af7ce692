from django.contrib.auth.models import AnonymousUser

from homestretch.accounts.models import User
from homestretch.billing.access import has_library_access
from homestretch.library.models import Sequence


def can_watch(user: User | AnonymousUser, sequence: Sequence) -> bool:
    """Free previews for everyone; the rest for those with library access."""
    return sequence.is_free_preview or has_library_access(user)
