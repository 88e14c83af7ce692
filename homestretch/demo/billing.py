"""Demo billing: two plans (no Stripe price ids, so card payment shows as unavailable
until an operator adds theirs), two access codes, and the demo member as a subscriber.

The member's subscription is a plain Subscription row with no Stripe ids: it shows on
/me/ as a real subscription would, and it runs for a year from loading (re-running the
demo leaves it alone), so the demo works without Stripe."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from homestretch.accounts.models import User
from homestretch.billing.models import AccessCode, Plan, Subscription

PLANS = (
    ("Monthly", "monthly", Plan.Interval.MONTH, 12, 14),
    ("Yearly", "yearly", Plan.Interval.YEAR, 120, 14),
)
WHAT_YOU_GET = "Every sequence and program, on any device, with captions, chapters and resume."
CODES = (("WELCOME30", 30, 100, "Demo: a month for new members"), ("STUDIO90", 90, 10, "Demo"))


@transaction.atomic
def ensure_demo_billing() -> list[str]:
    """Create whichever demo plans, codes and subscription are missing; return what."""
    created = []
    now = timezone.now()
    for position, (name, slug, interval, price, trial) in enumerate(PLANS):
        _, is_new = Plan.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "interval": interval,
                "price": price,
                "currency": "EUR",
                "trial_days": trial,
                "description": WHAT_YOU_GET,
                "position": position,
            },
        )
        if is_new:
            created.append(f"plan {slug}")
    for code, days, uses, note in CODES:
        _, is_new = AccessCode.objects.get_or_create(
            code=code,
            defaults={
                "days": days,
                "max_uses": uses,
                "expires_at": now + timedelta(days=365),
                "note": note,
            },
        )
        if is_new:
            created.append(f"code {code}")
    member = User.objects.filter(email="member@example.com").first()
    if member is not None and not Subscription.objects.filter(user=member).exists():
        subscription = Subscription(
            user=member,
            plan=Plan.objects.get(slug="monthly"),
            status=Subscription.Status.ACTIVE,
            started_at=now - timedelta(days=40),
            first_paid_at=now - timedelta(days=40),
            current_period_end=now + timedelta(days=365),
        )
        subscription.access_until = subscription.compute_access_until()
        subscription.save()
        created.append("member subscription")
    return created
