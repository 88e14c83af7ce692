"""Tiny factories for billing: library access for a test persona."""

from datetime import timedelta

from django.utils import timezone

from homestretch.accounts.models import User
from homestretch.billing.models import AccessGrant


def give_access(user: User, *, days: int = 30) -> None:
    """Library access for a test persona: an active staff grant."""
    AccessGrant.objects.create(
        user=user, ends_at=timezone.now() + timedelta(days=days), reason="test"
    )
