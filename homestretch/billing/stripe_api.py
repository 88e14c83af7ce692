"""The few Stripe calls we make, in one place. Tests point `stripe.api_base` at a local
fake server; nothing else here knows about that."""

from typing import Any

import stripe
from django.conf import settings


class StripeUnavailable(Exception):
    """Stripe is not configured, or did not answer as it should."""


def configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def _key() -> str:
    if not configured():
        raise StripeUnavailable("Card payment is not set up on this site.")
    return str(settings.STRIPE_SECRET_KEY)


def customer_create(*, email: str, user_id: int) -> str:
    try:
        customer = stripe.Customer.create(
            api_key=_key(),
            email=email,
            metadata={"user_id": str(user_id)},
            idempotency_key=f"homestretch-customer-{user_id}",
        )
    except stripe.StripeError as e:
        raise StripeUnavailable(str(e)) from e
    return str(customer.id)


def checkout_session_create(
    *,
    customer: str,
    price: str,
    trial_days: int,
    user_id: int,
    success_url: str,
    cancel_url: str,
    idempotency_key: str,
) -> tuple[str, str]:
    """Open a Checkout Session in subscription mode; return its id and URL."""
    subscription_data: dict[str, object] = {"metadata": {"user_id": str(user_id)}}
    if trial_days:
        subscription_data["trial_period_days"] = trial_days
    try:
        session = stripe.checkout.Session.create(
            api_key=_key(),
            mode="subscription",
            customer=customer,
            client_reference_id=str(user_id),
            line_items=[{"price": price, "quantity": 1}],
            subscription_data=subscription_data,  # type: ignore[arg-type]
            success_url=success_url,
            cancel_url=cancel_url,
            idempotency_key=idempotency_key,
        )
    except stripe.StripeError as e:
        raise StripeUnavailable(str(e)) from e
    return str(session.id), str(session.url)


def portal_session_create(*, customer: str, return_url: str) -> str:
    try:
        session = stripe.billing_portal.Session.create(
            api_key=_key(), customer=customer, return_url=return_url
        )
    except stripe.StripeError as e:
        raise StripeUnavailable(str(e)) from e
    return str(session.url)


def subscription_retrieve(*, subscription_id: str) -> dict[str, Any]:
    """The subscription as Stripe has it now."""
    try:
        return stripe.Subscription.retrieve(subscription_id, api_key=_key()).to_dict()
    except stripe.StripeError as e:
        raise StripeUnavailable(str(e)) from e
