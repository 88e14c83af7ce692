"""A full refund of a subscription's payment ends access at once (`charge.refunded`)."""

import copy
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail

from homestretch.accounts.models import User
from homestretch.accounts.testing import make_alice
from homestretch.audit.models import AuditEntry
from homestretch.billing.access import has_library_access
from homestretch.billing.models import Plan, StripeEvent, Subscription
from homestretch.billing.tests.stripe_fakes import (
    FakeStripe,
    charge_object,
    event,
    subscription_object,
)

pytestmark = pytest.mark.django_db
DAY = 86400
ENDED = "[Homestretch] Your subscription has ended"
CANCEL = ("DELETE", "/v1/subscriptions/sub_1")


def _subscribed(user: User, send_webhook: Callable[..., Any], fake: FakeStripe) -> int:
    """`user` on an active monthly plan, paid by invoice in_1 through pi_1, as both our
    database and Stripe's API hold it. Returns the time of the `created` event."""
    Plan.objects.create(
        name="Monthly", slug="monthly", interval="month", price=12, stripe_price_id="price_monthly"
    )
    now = int(time.time())
    obj = subscription_object(user_id=user.pk, status="active", period_end=now + 30 * DAY)
    send_webhook(event("evt_sub", "customer.subscription.created", obj, created=now - 60))
    fake.add_subscription(copy.deepcopy(obj))
    fake.add_invoice("in_1", subscription="sub_1", payment_intent="pi_1")
    mail.outbox.clear()  # the welcome
    return now


def _refund_entries() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="billing.refund"))


def test_a_full_refund_ends_access_cancels_at_stripe_audits_and_emails(
    send_webhook, fake_stripe: FakeStripe
) -> None:
    alice = make_alice()
    _subscribed(alice, send_webhook, fake_stripe)
    assert has_library_access(alice)

    response = send_webhook(event("evt_refund", "charge.refunded", charge_object()))

    assert response.status_code == 200
    assert not has_library_access(alice)
    subscription = Subscription.objects.get()
    assert (subscription.status, subscription.access_until) == ("canceled", None)
    [entry] = _refund_entries()
    assert (entry.from_status, entry.to_status, entry.object_id) == (
        "active",
        "canceled",
        subscription.pk,
    )
    assert "ch_1 refunded in full" in entry.summary
    assert "canceled at Stripe" in entry.summary
    assert [m.subject for m in mail.outbox] == [ENDED]
    # Charge to invoice through the invoice payments (no `invoice` on a "basil" charge),
    # invoice to subscription, then the cancel.
    assert fake_stripe.calls() == [
        ("GET", "/v1/invoice_payments"),
        ("GET", "/v1/invoices/in_1"),
        CANCEL,
    ]
    assert fake_stripe.requests[0].form["payment[payment_intent]"] == ["pi_1"]
    assert StripeEvent.objects.get(event_id="evt_refund").state == StripeEvent.State.PROCESSED


def test_the_deleted_event_that_follows_the_cancel_changes_nothing(
    send_webhook, fake_stripe: FakeStripe
) -> None:
    alice = make_alice()
    now = _subscribed(alice, send_webhook, fake_stripe)
    send_webhook(event("evt_refund", "charge.refunded", charge_object(), created=now))
    canceled = fake_stripe.objects["/v1/subscriptions/sub_1"]
    assert canceled["status"] == "canceled"

    send_webhook(event("evt_deleted", "customer.subscription.deleted", canceled, created=now + 1))

    assert Subscription.objects.get().status == Subscription.Status.CANCELED
    assert not has_library_access(alice)
    assert len(_refund_entries()) == 1
    assert (
        AuditEntry.objects.filter(action="billing.subscription", to_status="canceled").count() == 0
    )
    assert [m.subject for m in mail.outbox] == [ENDED]


def test_a_late_subscription_event_from_before_the_refund_does_not_give_access_back(
    send_webhook, fake_stripe: FakeStripe
) -> None:
    alice = make_alice()
    now = _subscribed(alice, send_webhook, fake_stripe)
    send_webhook(event("evt_refund", "charge.refunded", charge_object(), created=now))
    before = subscription_object(user_id=alice.pk, status="active", period_end=now + 30 * DAY)

    send_webhook(event("evt_late", "customer.subscription.updated", before, created=now - 30))

    assert Subscription.objects.get().status == Subscription.Status.CANCELED
    assert not has_library_access(alice)


def test_a_charge_in_an_older_api_version_names_its_invoice(
    send_webhook, fake_stripe: FakeStripe
) -> None:
    alice = make_alice()
    _subscribed(alice, send_webhook, fake_stripe)

    send_webhook(event("evt_refund", "charge.refunded", charge_object(invoice="in_1")))

    assert not has_library_access(alice)
    assert fake_stripe.calls() == [("GET", "/v1/invoices/in_1"), CANCEL]


def test_a_partial_refund_keeps_access(send_webhook, fake_stripe: FakeStripe) -> None:
    alice = make_alice()
    _subscribed(alice, send_webhook, fake_stripe)

    response = send_webhook(
        event("evt_refund", "charge.refunded", charge_object(amount_refunded=500))
    )

    assert response.status_code == 200
    assert has_library_access(alice)
    assert Subscription.objects.get().status == Subscription.Status.ACTIVE
    assert fake_stripe.calls() == []
    assert _refund_entries() == []
    assert mail.outbox == []
    assert StripeEvent.objects.get(event_id="evt_refund").state == StripeEvent.State.IGNORED


def _no_invoice(fake: FakeStripe) -> dict[str, Any]:
    return charge_object(payment_intent="pi_one_off")


def _invoice_of_no_subscription(fake: FakeStripe) -> dict[str, Any]:
    fake.objects["/v1/invoices/in_2"] = {"id": "in_2", "object": "invoice", "parent": None}
    return charge_object(invoice="in_2")


def _subscription_not_ours(fake: FakeStripe) -> dict[str, Any]:
    fake.add_invoice("in_3", subscription="sub_elsewhere", payment_intent="pi_3")
    return charge_object(payment_intent="pi_3")


UNKNOWN = {
    "no invoice": _no_invoice,
    "an invoice of no subscription": _invoice_of_no_subscription,
    "a subscription not ours": _subscription_not_ours,
}


@pytest.mark.parametrize("charge", list(UNKNOWN))
def test_a_refund_of_an_unknown_charge_gets_200_and_is_ignored(
    send_webhook, fake_stripe: FakeStripe, charge: str
) -> None:
    alice = make_alice()
    _subscribed(alice, send_webhook, fake_stripe)

    response = send_webhook(event("evt_refund", "charge.refunded", UNKNOWN[charge](fake_stripe)))

    assert response.status_code == 200
    assert StripeEvent.objects.get(event_id="evt_refund").state == StripeEvent.State.IGNORED
    assert has_library_access(alice)
    assert CANCEL not in fake_stripe.calls()
    assert _refund_entries() == []
    assert mail.outbox == []


def test_a_replayed_refund_has_one_effect(send_webhook, fake_stripe: FakeStripe) -> None:
    alice = make_alice()
    _subscribed(alice, send_webhook, fake_stripe)
    body = event("evt_refund", "charge.refunded", charge_object())

    assert send_webhook(body).status_code == 200
    assert send_webhook(body).status_code == 200

    assert StripeEvent.objects.filter(event_id="evt_refund").count() == 1
    assert fake_stripe.calls().count(CANCEL) == 1
    assert len(_refund_entries()) == 1
    assert [m.subject for m in mail.outbox] == [ENDED]


def test_a_refund_after_the_subscription_was_canceled_at_stripe_changes_nothing(
    send_webhook, fake_stripe: FakeStripe
) -> None:
    """Staff may cancel with a refund in Stripe's dashboard: `deleted` comes first."""
    alice = make_alice()
    now = _subscribed(alice, send_webhook, fake_stripe)
    ended = subscription_object(user_id=alice.pk, status="canceled", period_end=now, ended_at=now)
    send_webhook(event("evt_deleted", "customer.subscription.deleted", ended, created=now))

    send_webhook(event("evt_refund", "charge.refunded", charge_object(), created=now + 1))

    assert not has_library_access(alice)
    assert CANCEL not in fake_stripe.calls()
    assert _refund_entries() == []
    assert [m.subject for m in mail.outbox] == [ENDED]


def test_when_stripe_refuses_the_cancel_access_ends_and_the_audit_tells_staff(
    send_webhook, fake_stripe: FakeStripe
) -> None:
    alice = make_alice()
    _subscribed(alice, send_webhook, fake_stripe)
    del fake_stripe.objects["/v1/subscriptions/sub_1"]  # the cancel gets a 404

    send_webhook(event("evt_refund", "charge.refunded", charge_object()))

    assert CANCEL in fake_stripe.calls()
    assert not has_library_access(alice)
    [entry] = _refund_entries()
    assert "NOT canceled at Stripe" in entry.summary
    assert [m.subject for m in mail.outbox] == [ENDED]


def test_when_stripe_cannot_be_asked_the_refund_stays_pending_and_nothing_changes(
    send_webhook, fake_stripe: FakeStripe, settings
) -> None:
    alice = make_alice()
    _subscribed(alice, send_webhook, fake_stripe)
    settings.STRIPE_SECRET_KEY = ""

    assert send_webhook(event("evt_refund", "charge.refunded", charge_object())).status_code == 200

    assert StripeEvent.objects.get(event_id="evt_refund").state == StripeEvent.State.PENDING
    assert has_library_access(alice)
    assert _refund_entries() == []
