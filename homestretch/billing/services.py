"""Money and access: every write that spans models or could race lives here.

Functions take keyword arguments only, run in one transaction, lock the rows two
requests could both change, and raise `BillingError` (with a message for the person)
when the request cannot be done; nothing is saved then.
"""

import logging
import secrets
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from homestretch.accounts.models import User
from homestretch.accounts.tasks import queue_email
from homestretch.audit.models import record
from homestretch.billing import emails, stripe_api
from homestretch.billing.models import (
    AccessCode,
    AccessGrant,
    AccessRequest,
    CheckoutSession,
    Customer,
    Plan,
    Redemption,
    StripeEvent,
    Subscription,
    TrialUse,
    email_fingerprint,
)

log = logging.getLogger(__name__)

# A second click within this long gets the Checkout Session the first one opened.
CHECKOUT_REUSE = timedelta(minutes=10)
HAS_SUBSCRIPTION = (
    Subscription.Status.TRIALING,
    Subscription.Status.ACTIVE,
    Subscription.Status.PAST_DUE,
)


class BillingError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _email_after_commit(user: User, kind: str, **context: Any) -> None:
    transaction.on_commit(partial(emails.send, user=user, kind=kind, **context))


# Access requests ----------------------------------------------------------------------

# Letters and digits no one misreads (no 0/O, 1/I/L, U/V).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789"
CODE_VALID_FOR = timedelta(days=30)


def new_access_code_text() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def access_request_create(
    *, email: str, name: str = "", message: str = "", user: User | None = None
) -> AccessRequest:
    """Someone asks the studio for access (card payment not on offer): staff see it in the
    admin. The view rate-limits it and checks the bot traps."""
    return AccessRequest.objects.create(
        email=email.strip().lower(), name=name.strip(), message=message.strip(), user=user
    )


@transaction.atomic
def access_request_answer(
    *, access_request: AccessRequest, days: int, staff: User, note: str = ""
) -> AccessCode:
    """Answer a request with a new one-use access code, emailed to the person through the
    task queue after commit.

    1. Lock the request: answered once, however many times staff click.
    2. The code gives `days` of access, can be redeemed once, within CODE_VALID_FOR.
    3. The answer goes to the site's audit log.
    """
    access_request = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
    if access_request.state != AccessRequest.State.OPEN:
        raise BillingError("This request has already been answered.")
    if not 1 <= days <= 3660:
        raise BillingError("Give from 1 to 3,660 days of access.")
    now = timezone.now()
    while True:
        text = new_access_code_text()
        if not AccessCode.objects.filter(code=text).exists():
            break
    code = AccessCode.objects.create(
        code=text,
        days=days,
        max_uses=1,
        expires_at=now + CODE_VALID_FOR,
        note=f"Answer to access request #{access_request.pk}",
        created_by=staff,
    )
    access_request.state = AccessRequest.State.ANSWERED
    access_request.code = code
    access_request.answered_by = staff
    access_request.answered_at = now
    access_request.save(update_fields=["state", "code", "answered_by", "answered_at"])
    record(
        actor=staff,
        action="billing.access_request_answer",
        item=access_request,
        summary=f"answered request #{access_request.pk} with a {days}-day code",
    )
    context = {
        "name": access_request.name,
        "code": code,
        "note": note.strip(),
        "redeem_url": settings.SITE_URL.rstrip("/") + reverse("billing:subscribe") + "#code",
        "site_name": settings.SITE_NAME,
    }
    message = EmailMessage(
        subject=f"[{settings.SITE_NAME}] Your access code",
        body=render_to_string("billing/email/access_code.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[access_request.email],
    )
    transaction.on_commit(lambda: queue_email(message))
    return code


# Grants and access codes ----------------------------------------------------------------


@transaction.atomic
def grant_create(
    *, user: User, ends_at: datetime, reason: str, granted_by: User | None
) -> AccessGrant:
    grant = AccessGrant.objects.create(
        user=user, ends_at=ends_at, reason=reason, granted_by=granted_by
    )
    record(
        actor=granted_by,
        action="billing.grant",
        item=grant,
        summary=f"Access for {user.email} until {ends_at:%Y-%m-%d %H:%M}: {reason}",
    )
    return grant


@transaction.atomic
def code_redeem(*, user: User, code: str) -> Redemption:
    """Turn one use of an access code into a grant for `user`.

    1. Normalise what was typed (spaces, lower case).
    2. Lock the code row, so two people redeeming its last use one after the other
       see each other's count (the second waits for the first to commit).
    3. Refuse an unknown, expired or used-up code, or a second use by the same person.
    4. Count the use, create the grant and the redemption, audit, and email after commit.
    """
    normalised = AccessCode.normalise(code)
    access_code = AccessCode.objects.select_for_update().filter(code=normalised).first()
    if not normalised or access_code is None:
        raise BillingError("We don't know that code. Check it and try again.")
    now = timezone.now()
    if access_code.expires_at <= now:
        raise BillingError("That code has expired.")
    if access_code.uses >= access_code.max_uses:
        raise BillingError("That code has been used up.")
    if Redemption.objects.filter(code=access_code, user=user).exists():
        raise BillingError("You have already redeemed that code.")
    access_code.uses += 1
    access_code.save(update_fields=["uses"])
    grant = AccessGrant.objects.create(
        user=user,
        ends_at=now + timedelta(days=access_code.days),
        reason=f"Access code {access_code.code}",
    )
    redemption = Redemption.objects.create(code=access_code, user=user, grant=grant)
    record(
        actor=user,
        action="billing.redeem",
        item=redemption,
        summary=f"{user.email} redeemed {access_code.code} "
        f"({access_code.uses}/{access_code.max_uses}), access until {grant.ends_at:%Y-%m-%d}",
    )
    _email_after_commit(user, "code_redeemed", redemption=redemption)
    return redemption


# Checkout and the portal -----------------------------------------------------------------


def trial_available(user: User) -> bool:
    """One trial per person, ever: any subscription of theirs that had one counts, and so
    does a trial recorded for their email address under any account."""
    if Subscription.objects.filter(user=user, trial_end__isnull=False).exists():
        return False
    return not TrialUse.objects.filter(email_fingerprint=email_fingerprint(user.email)).exists()


@transaction.atomic
def checkout_start(*, user: User, plan: Plan, success_url: str, cancel_url: str) -> str:
    """Open (or reuse) a Stripe Checkout Session for `plan`; return the URL to send them to.

    1. Lock the person's Customer row: a double click's second request waits here for
       the first, then finds the session it opened and reuses it.
    2. Create the Stripe customer once and keep it for every later checkout.
    3. Add the plan's trial only if they never had one.
    """
    if not plan.is_active or not plan.stripe_price_id or not stripe_api.configured():
        raise BillingError("Card payment for this plan isn't available. An access code works.")
    Customer.objects.get_or_create(user=user)
    customer = Customer.objects.select_for_update().get(user=user)
    if Subscription.objects.filter(user=user, status__in=HAS_SUBSCRIPTION).exists():
        raise BillingError("You already have a subscription. Manage it from your page.")
    recent = (
        CheckoutSession.objects.filter(
            user=user, plan=plan, created_at__gt=timezone.now() - CHECKOUT_REUSE
        )
        .order_by("-created_at")
        .first()
    )
    if recent is not None:
        return recent.url
    try:
        if not customer.stripe_customer_id:
            customer.stripe_customer_id = stripe_api.customer_create(
                email=user.email, user_id=user.pk
            )
            customer.save(update_fields=["stripe_customer_id"])
        with_trial = plan.trial_days > 0 and trial_available(user)
        session_id, url = stripe_api.checkout_session_create(
            customer=customer.stripe_customer_id,
            price=plan.stripe_price_id,
            trial_days=plan.trial_days if with_trial else 0,
            user_id=user.pk,
            success_url=success_url,
            cancel_url=cancel_url,
            # Stripe answers a repeated key with the first session, should two
            # requests ever get past the lock (a second web server on SQLite, say).
            idempotency_key=f"homestretch-checkout-{user.pk}-{plan.pk}-"
            f"{int(timezone.now().timestamp() // CHECKOUT_REUSE.total_seconds())}",
        )
    except stripe_api.StripeUnavailable as e:
        log.warning("Stripe checkout failed for user %s: %s", user.pk, e)
        raise BillingError("We couldn't reach the payment provider. Try again soon.") from e
    CheckoutSession.objects.create(
        user=user, plan=plan, stripe_session_id=session_id, url=url, with_trial=with_trial
    )
    return url


def portal_url(*, user: User, return_url: str) -> str:
    customer = Customer.objects.filter(user=user).exclude(stripe_customer_id="").first()
    if customer is None:
        raise BillingError("There is no card subscription to manage.")
    try:
        return stripe_api.portal_session_create(
            customer=customer.stripe_customer_id, return_url=return_url
        )
    except stripe_api.StripeUnavailable as e:
        raise BillingError("We couldn't reach the payment provider. Try again soon.") from e


# Webhooks ------------------------------------------------------------------------------

HANDLED_EVENTS = {
    "checkout.session.completed",
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "customer.subscription.trial_will_end",
    "invoice.payment_failed",
    "charge.refunded",
}


def stripe_event_receive(*, event: dict[str, Any]) -> StripeEvent | None:
    """Store a verified event; None when it was seen before (a replay has no effect)."""
    handled = event.get("type") in HANDLED_EVENTS
    try:
        with transaction.atomic():
            return StripeEvent.objects.create(
                event_id=str(event["id"]),
                type=str(event["type"]),
                created=int(event["created"]),
                payload=event,
                state=StripeEvent.State.PENDING if handled else StripeEvent.State.IGNORED,
            )
    except IntegrityError:
        return None


def _when(timestamp: object) -> datetime | None:
    if timestamp is None:
        return None
    return datetime.fromtimestamp(int(str(timestamp)), tz=UTC)


def _user_for(data: dict[str, Any]) -> User | None:
    user_id = (data.get("metadata") or {}).get("user_id")
    if user_id and str(user_id).isdigit():
        user = User.objects.filter(pk=int(user_id)).first()
        if user is not None:
            return user
    customer = Customer.objects.filter(stripe_customer_id=str(data.get("customer") or "")).first()
    return customer.user if customer else None


def _period_end(data: dict[str, Any]) -> datetime | None:
    # Newer API versions keep the period on the subscription's items.
    if data.get("current_period_end"):
        return _when(data["current_period_end"])
    items = (data.get("items") or {}).get("data") or []
    return _when(items[0].get("current_period_end")) if items else None


def _price_id(data: dict[str, Any]) -> str:
    items = (data.get("items") or {}).get("data") or []
    return str(((items[0].get("price") or {}).get("id")) or "") if items else ""


def _subscription_now(data: dict[str, Any]) -> dict[str, Any]:
    """The subscription as Stripe has it now; the event's copy if Stripe can't say, which
    applies same-second events in the order they arrived, as before."""
    try:
        return stripe_api.subscription_retrieve(subscription_id=str(data["id"]))
    except stripe_api.StripeUnavailable as e:
        log.warning("Could not re-fetch Stripe subscription %s: %s", data["id"], e)
        return data


@transaction.atomic
def subscription_sync(*, data: dict[str, Any], event_created: int) -> Subscription | None:
    """Apply a Stripe subscription object from an event created at `event_created`.

    1. Find the person (metadata, else the customer); lock their subscription row.
    2. An event older than the last one applied is stale: events arrive out of order,
       and an old `updated` must never undo a newer state. Ignore it.
    3. An event from the same second as the last one applied can't be ordered by its
       timestamp, so apply the subscription as Stripe has it now instead of the event's
       copy. The row stays locked meanwhile, so no other event slips in between.
    4. Copy the state, note when payment first failed and first succeeded, work out
       `access_until`, and audit and email on a change of status.
    """
    user = _user_for(data)
    if user is None:
        log.warning("Stripe subscription %s has no known customer", data.get("id"))
        return None
    subscription = Subscription.objects.select_for_update().filter(
        stripe_subscription_id=str(data["id"])
    ).first() or Subscription(user=user, stripe_subscription_id=str(data["id"]))
    if subscription.stripe_event_created > event_created:
        return subscription
    if subscription.stripe_event_created == event_created:
        data = _subscription_now(data)
    is_new = subscription.pk is None
    before = "" if is_new else subscription.status
    had_access = subscription.access_until is not None
    happened_at = _when(event_created) or timezone.now()

    status = Subscription.Status(str(data["status"]))
    subscription.status = status
    subscription.plan = Plan.objects.filter(stripe_price_id=_price_id(data)).first() or (
        subscription.plan
    )
    subscription.started_at = _when(data.get("start_date")) or subscription.started_at
    subscription.trial_end = _when(data.get("trial_end"))
    subscription.current_period_end = _period_end(data)
    subscription.cancel_at_period_end = bool(data.get("cancel_at_period_end"))
    subscription.ended_at = _when(data.get("ended_at"))
    if status == Subscription.Status.PAST_DUE:
        subscription.past_due_since = subscription.past_due_since or happened_at
    else:
        subscription.past_due_since = None
    if status == Subscription.Status.ACTIVE and subscription.first_paid_at is None:
        subscription.first_paid_at = happened_at
    subscription.access_until = subscription.compute_access_until()
    subscription.stripe_event_created = event_created
    subscription.save()
    if subscription.trial_end is not None:
        TrialUse.objects.get_or_create(email_fingerprint=email_fingerprint(user.email))

    if before != status:
        record(
            actor=None,
            action="billing.subscription",
            item=subscription,
            from_status=before,
            to_status=status,
            summary=f"{user.email}: {subscription.plan or 'subscription'} {status.label.lower()}",
        )
        gives_access = status in (Subscription.Status.TRIALING, Subscription.Status.ACTIVE)
        if gives_access and before in ("", Subscription.Status.INCOMPLETE):
            _email_after_commit(user, "welcome", subscription=subscription)
        ended = (Subscription.Status.CANCELED, Subscription.Status.UNPAID)
        if status in ended and had_access:
            _email_after_commit(user, "subscription_ended")
    return subscription


@transaction.atomic
def subscription_end_for_refund(
    *, charge: dict[str, Any], event_created: int
) -> Subscription | None:
    """End library access at once when a subscription's payment is refunded in full.

    1. A partial refund changes nothing: the member keeps what they still pay for.
    2. Find the subscription the charge paid for, as Stripe links them (charge, invoice,
       subscription). A charge of no subscription of ours is ignored. If Stripe can't be
       reached, `StripeUnavailable` rolls everything back and the event stays pending.
    3. Lock it. One that has already ended (its `deleted` event came first, or another
       refund ended it) is left alone, so a refund has one effect.
    4. Cancel it at Stripe, then mark it canceled here, audit, and email after commit.
    Returns the subscription it ended, or None when there was nothing to do.
    """
    if not charge.get("refunded"):
        return None
    subscription_id = stripe_api.charge_subscription(charge)
    subscription = (
        Subscription.objects.select_for_update()
        .filter(stripe_subscription_id=subscription_id)
        .exclude(stripe_subscription_id="")
        .first()
    )
    if subscription is None:
        log.info("Refunded charge %s pays for no subscription of ours", charge.get("id"))
        return None
    if subscription.status in (
        Subscription.Status.CANCELED,
        Subscription.Status.INCOMPLETE_EXPIRED,
    ):
        return None

    # A refund leaves the subscription running at Stripe: it would charge the card again
    # at the period end, and its next `customer.subscription.updated` would give access
    # back here. So cancel it there too; the `deleted` event that follows changes nothing
    # (or, should this transaction roll back, ends access all the same). If Stripe
    # refuses, access ends anyway, the money being back, and the audit entry tells staff.
    try:
        stripe_api.subscription_cancel(
            subscription_id=subscription_id,
            comment=f"Charge {charge.get('id')} refunded in full.",
        )
        at_stripe = "canceled at Stripe"
    except stripe_api.StripeUnavailable as e:
        log.error("Could not cancel refunded Stripe subscription %s: %s", subscription_id, e)
        at_stripe = "NOT canceled at Stripe: cancel it there"

    before = subscription.status
    had_access = subscription.access_until is not None
    subscription.status = Subscription.Status.CANCELED
    subscription.cancel_at_period_end = False
    subscription.past_due_since = None
    subscription.ended_at = _when(event_created)
    subscription.access_until = subscription.compute_access_until()
    # A subscription event from before the refund, arriving late, must not revive it.
    subscription.stripe_event_created = max(subscription.stripe_event_created, event_created)
    subscription.save()
    user = subscription.user
    record(
        actor=None,
        action="billing.refund",
        item=subscription,
        from_status=before,
        to_status=subscription.status,
        summary=f"{user.email}: charge {charge.get('id')} refunded in full, access ended, "
        f"{at_stripe}",
    )
    if had_access:
        _email_after_commit(user, "subscription_ended")
    return subscription


@transaction.atomic
def stripe_event_process(*, event_pk: int) -> None:
    """Do what an accepted event asks, once: the row lock and state make a rerun a no-op."""
    event = StripeEvent.objects.select_for_update().get(pk=event_pk)
    if event.state != StripeEvent.State.PENDING:
        return
    data: dict[str, Any] = event.payload["data"]["object"]
    state = StripeEvent.State.PROCESSED
    if event.type.startswith("customer.subscription.") and event.type != (
        "customer.subscription.trial_will_end"
    ):
        subscription_sync(data=data, event_created=event.created)
    elif event.type == "checkout.session.completed":
        user = _user_for({**data, "metadata": {"user_id": data.get("client_reference_id")}})
        if user is not None and data.get("customer"):
            Customer.objects.update_or_create(
                user=user, defaults={"stripe_customer_id": str(data["customer"])}
            )
    elif event.type == "customer.subscription.trial_will_end":
        user = _user_for(data)
        if user is not None:
            _email_after_commit(user, "trial_ending", trial_end=_when(data.get("trial_end")))
    elif event.type == "invoice.payment_failed":
        user = _user_for(data)
        if user is not None:
            _email_after_commit(user, "payment_failed", grace_days=settings.BILLING_GRACE_DAYS)
    elif event.type == "charge.refunded":
        ended = subscription_end_for_refund(charge=data, event_created=event.created)
        state = StripeEvent.State.PROCESSED if ended else StripeEvent.State.IGNORED
    event.state = state
    event.processed_at = timezone.now()
    event.save(update_fields=["state", "processed_at"])


def subscriptions_cancel_now(*, user: User) -> list[Subscription]:
    """Cancel a member's running Stripe subscriptions at once, before their account goes.

    Stripe is asked first, one subscription at a time, outside any transaction: should it
    fail, `StripeUnavailable` stops the deletion with nothing erased, and a retry cancels
    what is left (a canceled one is skipped here). No email: the account is going.
    """
    running = (
        Subscription.objects.filter(user=user)
        .exclude(stripe_subscription_id="")
        .exclude(status__in=[Subscription.Status.CANCELED, Subscription.Status.INCOMPLETE_EXPIRED])
    )
    canceled = []
    for subscription in running:
        stripe_api.subscription_cancel(
            subscription_id=subscription.stripe_subscription_id,
            comment="The member deleted their account.",
        )
        subscription.status = Subscription.Status.CANCELED
        subscription.ended_at = timezone.now()
        subscription.access_until = None
        subscription.save(update_fields=["status", "ended_at", "access_until", "updated_at"])
        record(
            actor=None,
            action="billing.cancel",
            item=subscription,
            summary=f"Subscription {subscription.stripe_subscription_id} canceled: account deleted",
            to_status=Subscription.Status.CANCELED,
        )
        canceled.append(subscription)
    return canceled
