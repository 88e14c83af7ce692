"""The few Stripe calls we make, in one place. Tests point `stripe.api_base` at a local
fake server; nothing else here knows about that."""

from collections.abc import Mapping
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


def _id(value: object) -> str:
    """The id in an expandable field, whether Stripe sent the id or the whole object."""
    if isinstance(value, Mapping):
        return str(value.get("id") or "")
    return str(value or "")


def _missing(e: stripe.StripeError) -> bool:
    return isinstance(e, stripe.InvalidRequestError) and e.http_status == 404


def charge_subscription(charge: Mapping[str, Any]) -> str:
    """The id of the subscription whose invoice `charge` paid; "" when it paid none.

    1. The invoice. A charge names it only in API versions before 2025-03-31 ("basil"),
       which a webhook endpoint made long ago may still use; from then on (this stripe
       library pins 2026-10-28) the invoice payments link a PaymentIntent to its invoice.
    2. The subscription, from the invoice fetched from the API (events never expand it).
       The library asks in its pinned version, so it is under `parent.subscription_details`
       (the invoice's own `subscription` went in "basil").
    """
    invoice_id = _id(charge.get("invoice"))
    payment_intent = _id(charge.get("payment_intent"))
    try:
        if not invoice_id and payment_intent:
            payments = stripe.InvoicePayment.list(
                api_key=_key(),
                payment={"type": "payment_intent", "payment_intent": payment_intent},
                limit=1,
            ).to_dict()
            invoice_id = next((_id(p.get("invoice")) for p in payments["data"]), "")
        if not invoice_id:
            return ""
        invoice = stripe.Invoice.retrieve(invoice_id, api_key=_key()).to_dict()
    except stripe.StripeError as e:
        if _missing(e):
            return ""
        raise StripeUnavailable(str(e)) from e
    details = (invoice.get("parent") or {}).get("subscription_details") or {}
    return _id(details.get("subscription"))


def subscription_retrieve(*, subscription_id: str) -> dict[str, Any]:
    """The subscription as Stripe has it now."""
    try:
        return stripe.Subscription.retrieve(subscription_id, api_key=_key()).to_dict()
    except stripe.StripeError as e:
        raise StripeUnavailable(str(e)) from e


def subscription_cancel(*, subscription_id: str, comment: str) -> None:
    """Cancel at once, with no proration and no final invoice (Stripe's defaults)."""
    try:
        stripe.Subscription.cancel(
            subscription_id, api_key=_key(), cancellation_details={"comment": comment}
        )
    except stripe.StripeError as e:
        raise StripeUnavailable(str(e)) from e
