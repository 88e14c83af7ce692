"""The subscription section of the member's page (/me/), offered to the `me` floor."""

from typing import Any

from homestretch.accounts.models import User
from homestretch.billing.models import AccessGrant, Customer, Subscription


def subscription_section(user: User) -> dict[str, Any]:
    """Plan, status, renewal or end, a staff or code grant, and the portal button."""
    return {
        "subscription": Subscription.objects.filter(user=user).select_related("plan").first(),
        "grant": AccessGrant.objects.active().filter(user=user).order_by("-ends_at").first(),
        "has_portal": Customer.objects.filter(user=user).exclude(stripe_customer_id="").exists(),
    }
