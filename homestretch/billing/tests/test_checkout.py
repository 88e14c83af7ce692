import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from homestretch.accounts.testing import make_alice, make_charlie, make_staff, make_user
from homestretch.audit.models import AuditEntry
from homestretch.billing import services
from homestretch.billing.models import CheckoutSession, Customer, Plan, Subscription
from homestretch.billing.tests.stripe_fakes import FakeStripe, subscription_object

pytestmark = pytest.mark.django_db


def _plan() -> Plan:
    return Plan.objects.create(
        name="Monthly",
        slug="monthly",
        interval="month",
        price=12,
        trial_days=14,
        stripe_price_id="price_monthly",
    )


def test_subscribe_lists_plans_with_the_trial(client: Client, fake_stripe: FakeStripe) -> None:
    _plan()
    Plan.objects.create(name="Old", slug="old", interval="year", price=1, is_active=False)
    page = client.get("/subscribe/").content.decode()
    assert "Monthly" in page
    assert "14-day free trial" in page
    assert "Old" not in page
    assert "Sign up to subscribe" in page


def test_without_stripe_keys_plans_are_unavailable_and_codes_still_work(
    client: Client, settings
) -> None:
    settings.STRIPE_SECRET_KEY = ""
    _plan()
    client.force_login(make_alice())
    page = client.get("/subscribe/").content.decode()
    # Nothing that cannot be bought is offered: no plan, no trial; the way in instead.
    assert "Subscribe to Monthly" not in page
    assert "free trial" not in page
    assert "How to get access" in page
    assert "Ask for an access code" in page
    assert "Redeem code" in page
    response = client.post("/subscribe/checkout/monthly/")
    assert response.status_code == 302
    assert not CheckoutSession.objects.exists()


def test_subscribing_opens_a_checkout_session_with_the_trial_and_the_customer(
    client: Client, fake_stripe: FakeStripe
) -> None:
    alice = make_alice()
    _plan()
    client.force_login(alice)
    response = client.post("/subscribe/checkout/monthly/")
    assert response.status_code == 303
    assert response["Location"].startswith("https://checkout.stripe.com/c/pay/cs_test_")
    customer_call, session_call = fake_stripe.requests
    assert customer_call.path == "/v1/customers"
    assert customer_call.form["email"] == ["alice@example.com"]
    assert session_call.path == "/v1/checkout/sessions"
    assert session_call.form["mode"] == ["subscription"]
    assert session_call.form["customer"] == [Customer.objects.get(user=alice).stripe_customer_id]
    assert session_call.form["subscription_data[trial_period_days]"] == ["14"]
    assert session_call.form["line_items[0][price]"] == ["price_monthly"]
    assert "Idempotency-Key" in session_call.headers


def test_a_double_click_creates_one_session(client: Client, fake_stripe: FakeStripe) -> None:
    client.force_login(make_alice())
    _plan()
    first = client.post("/subscribe/checkout/monthly/")
    second = client.post("/subscribe/checkout/monthly/")
    assert first["Location"] == second["Location"]
    assert len(fake_stripe.posted("/v1/checkout/sessions")) == 1
    assert CheckoutSession.objects.count() == 1


def test_the_customer_is_reused_and_a_second_trial_is_not_given(
    client: Client, fake_stripe: FakeStripe
) -> None:
    alice = make_alice()
    _plan()
    client.force_login(alice)
    client.post("/subscribe/checkout/monthly/")
    # They had a trial, which ended; later they come back.
    now = int(time.time())
    services.subscription_sync(
        data=subscription_object(
            user_id=alice.pk, status="canceled", period_end=now, trial_end=now, ended_at=now
        ),
        event_created=now,
    )
    CheckoutSession.objects.update(created_at=timezone.now() - timedelta(hours=1))
    assert "No trial: you have had one already." in client.get("/subscribe/").content.decode()
    client.post("/subscribe/checkout/monthly/")
    assert len(fake_stripe.posted("/v1/customers")) == 1
    first, second = fake_stripe.posted("/v1/checkout/sessions")
    assert first.form["customer"] == second.form["customer"]
    assert "subscription_data[trial_period_days]" not in second.form


@pytest.mark.parametrize(
    "second_email", ["alice@example.com", "Alice+again@Example.com", "a.l.i.c.e@gmail.com"]
)
def test_a_second_sign_up_of_the_same_person_gets_no_trial(
    client: Client, fake_stripe: FakeStripe, second_email: str
) -> None:
    first_email = "alice@gmail.com" if "gmail" in second_email else "alice@example.com"
    first = make_user(first_email)
    _plan()
    now = int(time.time())
    services.subscription_sync(
        data=subscription_object(
            user_id=first.pk, status="trialing", period_end=now + 86400, trial_end=now + 86400
        ),
        event_created=now,
    )
    first.delete()  # the account is gone; the fact that this person had a trial is not
    client.force_login(make_user(second_email))
    assert "No trial: you have had one already." in client.get("/subscribe/").content.decode()
    client.post("/subscribe/checkout/monthly/")
    [session] = fake_stripe.posted("/v1/checkout/sessions")
    assert "subscription_data[trial_period_days]" not in session.form


def test_someone_else_still_gets_a_trial(client: Client, fake_stripe: FakeStripe) -> None:
    first = make_user("alice@example.com")
    _plan()
    now = int(time.time())
    services.subscription_sync(
        data=subscription_object(
            user_id=first.pk, status="trialing", period_end=now + 86400, trial_end=now + 86400
        ),
        event_created=now,
    )
    client.force_login(make_user("bob@example.com"))
    client.post("/subscribe/checkout/monthly/")
    [session] = fake_stripe.posted("/v1/checkout/sessions")
    assert session.form["subscription_data[trial_period_days]"] == ["14"]


def test_someone_already_subscribed_is_sent_to_manage_it(
    client: Client, fake_stripe: FakeStripe
) -> None:
    alice = make_alice()
    _plan()
    Subscription.objects.create(user=alice, status=Subscription.Status.ACTIVE)
    client.force_login(alice)
    response = client.post("/subscribe/checkout/monthly/", follow=True)
    assert "You already have a subscription" in response.content.decode()
    assert fake_stripe.requests == []


def test_checkout_needs_an_account_and_a_post(client: Client, fake_stripe: FakeStripe) -> None:
    _plan()
    assert client.post("/subscribe/checkout/monthly/")["Location"].startswith("/accounts/login/")
    client.force_login(make_alice())
    assert client.get("/subscribe/checkout/monthly/").status_code == 405
    assert client.post("/subscribe/checkout/nope/").status_code == 404


def test_the_success_page_says_activating_until_the_webhook_arrives(client: Client) -> None:
    alice = make_alice()
    client.force_login(alice)
    page = client.get("/subscribe/success/?session_id=cs_1").content.decode()
    assert "Activating…" in page
    assert 'hx-trigger="load delay:2s"' in page
    Subscription.objects.create(
        user=alice,
        status=Subscription.Status.ACTIVE,
        access_until=timezone.now() + timedelta(days=1),
    )
    partial = client.get("/subscribe/success/", HTTP_HX_REQUEST="true").content.decode()
    assert "Go to the library" in partial
    assert "hx-trigger" not in partial


def test_me_shows_the_subscription_and_the_portal_opens(
    client: Client, fake_stripe: FakeStripe
) -> None:
    alice = make_alice()
    plan = _plan()
    Customer.objects.create(user=alice, stripe_customer_id="cus_9")
    now = int(time.time())
    services.subscription_sync(
        data=subscription_object(user_id=alice.pk, status="active", period_end=now + 86400 * 20),
        event_created=now,
    )
    client.force_login(alice)
    page = client.get("/me/").content.decode()
    assert plan.name in page
    assert "Renews on" in page
    assert "Manage payment and subscription" in page
    response = client.post("/subscribe/portal/")
    assert response.status_code == 303
    assert response["Location"].startswith("https://billing.stripe.com/")
    assert fake_stripe.posted("/v1/billing_portal/sessions")[0].form["customer"] == ["cus_9"]


def test_the_dashboard_is_for_staff_only(client: Client) -> None:
    assert client.get("/billing/dashboard/")["Location"].startswith("/accounts/login/")
    client.force_login(make_charlie())
    assert client.get("/billing/dashboard/").status_code == 403
    staff = make_staff()
    alice = make_alice()
    services.grant_create(
        user=alice,
        ends_at=timezone.now(),
        reason="Scholarship",
        granted_by=staff,
    )
    client.force_login(staff)
    page = client.get("/billing/dashboard/").content.decode()
    assert "Active subscribers" in page
    assert '<svg class="chart"' in page
    assert "Scholarship" in page
    assert AuditEntry.objects.get().actor == staff
