"""Who may watch the whole library. Every check (pages, files, API) asks this one place."""

from django.contrib.auth.models import AnonymousUser

from homestretch.accounts.models import User
from homestretch.billing.models import AccessGrant


def has_library_access(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return AccessGrant.objects.active().filter(user=user).exists()
