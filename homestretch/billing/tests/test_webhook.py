import json
import time

import pytest
from django.core import mail
from django.test import Client

from homestretch.accounts.testing import make_alice
from homestretch.audit.models import AuditEntry
from homestretch.billing.access import has_library_access
from homestretch.billing.models import Plan, StripeEvent, Subscription
from homestretch.billing.tests.stripe_fakes import (
    FakeStripe,
    event,
    post_webhook,
    sign,
    subscription_object,
)

pytestmark = pytest.mark.django_db
DAY = 86400


def _plan() -> Plan:
    return Plan.objects.create(
        name="Monthly", slug="monthly", interval="month", price=12, stripe_price_id="price_monthly"
    )


def test_a_subscription_event_gives_access_audits_and_welcomes(send_webhook) -> None:
    alice = make_alice()
    plan = _plan()
    now = int(time.time())
    obj = subscription_object(
        user_id=alice.pk, status="trialing", period_end=now + 14 * DAY, trial_end=now + 14 * DAY
    )
    response = send_webhook(event("evt_1", "customer.subscription.created", obj))
    assert response.status_code == 200
    subscription = Subscription.objects.get()
    assert (subscription.user, subscription.plan, subscription.status) == (alice, plan, "trialing")
    assert has_library_access(alice)
    assert AuditEntry.objects.get().to_status == "trialing"
    assert [m.subject for m in mail.outbox] == ["[Homestretch] Welcome to the Homestretch library"]
    assert getattr(mail.outbox[0], "alternatives", [])[0][1] == "text/html"


def test_a_replayed_event_has_one_effect(send_webhook) -> None:
    alice = make_alice()
    _plan()
    now = int(time.time())
    body = event(
        "evt_1",
        "customer.subscription.created",
        subscription_object(user_id=alice.pk, status="active", period_end=now + 30 * DAY),
    )
    assert send_webhook(body).status_code == 200
    assert send_webhook(body).status_code == 200
    assert StripeEvent.objects.count() == 1
    assert Subscription.objects.count() == 1
    assert AuditEntry.objects.count() == 1
    assert len(mail.outbox) == 1


def test_an_older_update_arriving_late_never_overwrites_newer_state(send_webhook) -> None:
    alice = make_alice()
    _plan()
    now = int(time.time())
    newer = subscription_object(user_id=alice.pk, status="canceled", period_end=now, ended_at=now)
    older = subscription_object(user_id=alice.pk, status="active", period_end=now + 30 * DAY)
    send_webhook(event("evt_new", "customer.subscription.updated", newer, created=now))
    response = send_webhook(
        event("evt_old", "customer.subscription.updated", older, created=now - 60)
    )
    assert response.status_code == 200
    subscription = Subscription.objects.get()
    assert subscription.status == Subscription.Status.CANCELED
    assert subscription.access_until is None
    assert not has_library_access(alice)


def test_a_late_event_of_the_same_second_gets_the_state_stripe_has_now(
    send_webhook, fake_stripe: FakeStripe
) -> None:
    alice = make_alice()
    _plan()
    now = int(time.time())
    ended = subscription_object(user_id=alice.pk, status="canceled", period_end=now, ended_at=now)
    active = subscription_object(user_id=alice.pk, status="active", period_end=now + 30 * DAY)
    fake_stripe.add_subscription(ended)
    send_webhook(event("evt_deleted", "customer.subscription.deleted", ended, created=now))
    assert fake_stripe.calls() == []  # a newer event needs no second opinion

    send_webhook(event("evt_updated", "customer.subscription.updated", active, created=now))

    assert fake_stripe.calls() == [("GET", "/v1/subscriptions/sub_1")]
    assert Subscription.objects.get().status == Subscription.Status.CANCELED
    assert not has_library_access(alice)


def test_an_event_of_the_same_second_that_is_newer_is_applied(
    send_webhook, fake_stripe: FakeStripe
) -> None:
    alice = make_alice()
    _plan()
    now = int(time.time())
    active = subscription_object(user_id=alice.pk, status="active", period_end=now + 30 * DAY)
    canceling = subscription_object(
        user_id=alice.pk, status="active", period_end=now + 30 * DAY, cancel_at_period_end=True
    )
    fake_stripe.add_subscription(canceling)
    send_webhook(event("evt_created", "customer.subscription.created", active, created=now))

    send_webhook(event("evt_updated", "customer.subscription.updated", canceling, created=now))

    assert fake_stripe.calls() == [("GET", "/v1/subscriptions/sub_1")]
    assert Subscription.objects.get().cancel_at_period_end


def test_when_stripe_cannot_say_same_second_events_apply_in_arrival_order(
    send_webhook, fake_stripe: FakeStripe
) -> None:
    alice = make_alice()
    _plan()
    now = int(time.time())
    active = subscription_object(user_id=alice.pk, status="active", period_end=now + 30 * DAY)
    ended = subscription_object(user_id=alice.pk, status="canceled", period_end=now, ended_at=now)
    send_webhook(event("evt_created", "customer.subscription.created", active, created=now))

    send_webhook(event("evt_deleted", "customer.subscription.deleted", ended, created=now))

    assert fake_stripe.calls() == [("GET", "/v1/subscriptions/sub_1")]  # a 404
    assert Subscription.objects.get().status == Subscription.Status.CANCELED


def test_a_bad_signature_gets_400_and_changes_nothing(send_webhook) -> None:
    alice = make_alice()
    obj = subscription_object(user_id=alice.pk, status="active", period_end=int(time.time()) + DAY)
    body = event("evt_1", "customer.subscription.created", obj)
    forged = sign(json.dumps(body), secret="whsec_someone_else")
    assert send_webhook(body, signature=forged).status_code == 400
    assert send_webhook(body, signature="").status_code == 400
    assert StripeEvent.objects.count() == 0
    assert Subscription.objects.count() == 0


def test_an_old_timestamp_gets_400(send_webhook) -> None:
    alice = make_alice()
    obj = subscription_object(user_id=alice.pk, status="active", period_end=int(time.time()) + DAY)
    body = event("evt_1", "customer.subscription.created", obj)
    stale = sign(json.dumps(body), timestamp=int(time.time()) - 10 * 60)
    assert send_webhook(body, signature=stale).status_code == 400
    assert StripeEvent.objects.count() == 0


def test_an_unknown_type_gets_200_and_is_ignored(send_webhook) -> None:
    body = event("evt_1", "customer.tax_id.created", {"id": "txi_1", "object": "tax_id"})
    assert send_webhook(body).status_code == 200
    assert StripeEvent.objects.get().state == StripeEvent.State.IGNORED
    assert AuditEntry.objects.count() == 0


def test_without_a_signing_secret_every_webhook_is_refused(client: Client, settings) -> None:
    settings.STRIPE_WEBHOOK_SECRET = ""
    body = event("evt_1", "customer.tax_id.created", {"id": "txi_1"})
    assert post_webhook(client, body).status_code == 400


def test_the_webhook_needs_no_csrf_token_but_only_takes_post(fake_stripe) -> None:
    client = Client(enforce_csrf_checks=True)
    body = event("evt_1", "customer.tax_id.created", {"id": "txi_1"})
    assert post_webhook(client, body).status_code == 200
    assert client.get("/billing/stripe/webhook/").status_code == 405


def test_a_failed_payment_emails_a_link_to_manage_it(send_webhook) -> None:
    alice = make_alice()
    invoice = {
        "id": "in_1",
        "object": "invoice",
        "customer": "cus_1",
        "metadata": {"user_id": str(alice.pk)},
    }
    send_webhook(event("evt_1", "invoice.payment_failed", invoice))
    assert [m.subject for m in mail.outbox] == ["[Homestretch] Your payment didn't go through"]
    assert "http://127.0.0.1:8000/me/#subscription" in mail.outbox[0].body


def test_trial_will_end_emails_three_days_ahead(send_webhook) -> None:
    alice = make_alice()
    now = int(time.time())
    obj = subscription_object(
        user_id=alice.pk, status="trialing", period_end=now + 3 * DAY, trial_end=now + 3 * DAY
    )
    send_webhook(event("evt_1", "customer.subscription.trial_will_end", obj))
    assert [m.subject for m in mail.outbox] == ["[Homestretch] Your trial ends in 3 days"]


def test_the_end_of_a_subscription_emails_once(send_webhook) -> None:
    alice = make_alice()
    _plan()
    now = int(time.time())
    active = subscription_object(user_id=alice.pk, status="active", period_end=now + DAY)
    ended = subscription_object(user_id=alice.pk, status="canceled", period_end=now, ended_at=now)
    send_webhook(event("evt_1", "customer.subscription.created", active, created=now - 5))
    send_webhook(event("evt_2", "customer.subscription.deleted", ended, created=now))
    assert [m.subject for m in mail.outbox] == [
        "[Homestretch] Welcome to the Homestretch library",
        "[Homestretch] Your subscription has ended",
    ]
    assert not has_library_access(alice)
