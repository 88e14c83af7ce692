"""Who may watch the whole library. Every check (pages, files, API) asks this one place."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef
from django.utils import timezone

from homestretch.accounts.models import User
from homestretch.billing.models import AccessGrant, Subscription


def has_library_access(user: User | AnonymousUser) -> bool:
    """A current staff grant (codes redeem into grants) or a subscription that still gives
    access. One query: this runs on every playlist and segment request, and because it
    is asked every time, access that ends stops playback at the next request."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    now = timezone.now()
    grants = AccessGrant.objects.filter(user=OuterRef("pk"), starts_at__lte=now, ends_at__gt=now)
    subscriptions = Subscription.objects.filter(user=OuterRef("pk"), access_until__gt=now)
    return User.objects.filter(Exists(grants) | Exists(subscriptions), pk=user.pk).exists()
