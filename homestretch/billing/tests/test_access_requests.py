"""/subscribe/ without card payment is no dead end: it says how to get access, takes a
request (anonymous allowed, rate-limited, with the comment form's bot traps), and staff
answer it in the admin with a code the person is emailed. Only what can be bought is
offered, priced in the visitor's own format."""

import re
import time
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from homestretch.accounts.testing import log_in, make_alice, make_staff
from homestretch.audit.models import AuditEntry
from homestretch.billing import services
from homestretch.billing.forms import form_started_token
from homestretch.billing.models import AccessCode, AccessRequest, Plan
from homestretch.billing.tests.stripe_fakes import FakeStripe
from homestretch.lib.money import format_price, locale_from_accept_language

pytestmark = pytest.mark.django_db


def _request(client: Client, **fields: str) -> Any:
    data = {
        "name": "Dana",
        "email": "dana@example.com",
        "message": "My instructor Bob sent me.",
        "started": form_started_token(at=time.time() - 60),
        "website": "",
        **fields,
    }
    return client.post("/subscribe/request/", data)


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    cache.clear()


def _plans() -> None:
    Plan.objects.create(
        name="Monthly", slug="monthly", interval="month", price=12, trial_days=14,
        stripe_price_id="price_monthly",
    )  # fmt: skip
    Plan.objects.create(name="Yearly", slug="yearly", interval="year", price=Decimal("99.50"))


def test_without_stripe_no_plan_or_trial_is_advertised(client: Client, settings) -> None:
    settings.STRIPE_SECRET_KEY = ""
    _plans()
    page = client.get("/subscribe/").content.decode()
    assert "Monthly" not in page
    assert "Yearly" not in page
    assert "trial" not in page
    assert "How to get access" in page
    assert 'action="/subscribe/request/"' in page


def test_with_stripe_only_plans_with_a_price_id_show_in_the_visitors_format(
    client: Client, fake_stripe: FakeStripe
) -> None:
    _plans()
    page = client.get("/subscribe/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8").content.decode()
    assert "€12 / month" in page
    assert "12.00 EUR" not in page
    assert "Yearly" not in page  # no Stripe price: it cannot be bought
    german = client.get("/subscribe/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9").content.decode()
    assert "12\xa0€ / month" in german
    assert "Can\u2019t pay by card? Ask the studio" in page


@pytest.mark.parametrize(
    ("header", "locale"),
    [("de-CH,de;q=0.9", "de_CH"), ("", "en"), ("xx-QQ, fr;q=0.3", "fr"), (";;;", "en")],
)
def test_the_locale_comes_from_accept_language(header: str, locale: str) -> None:
    assert locale_from_accept_language(header) == locale


def test_prices_keep_their_cents_and_lose_empty_ones() -> None:
    assert format_price(Decimal("12.00"), "EUR", "en") == "€12"
    assert format_price(Decimal("12.50"), "EUR", "en") == "€12.50"
    assert format_price(Decimal("12.50"), "CHF", "de_CH") == "CHF\xa012.50"
    assert format_price(Decimal("1200"), "USD", "en_US") == "$1,200"


def test_a_visitor_asks_for_access_and_staff_answer_with_a_code_by_email(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    response = _request(client)
    assert response.status_code == 302
    request = AccessRequest.objects.get()
    assert (request.email, request.user, request.state) == ("dana@example.com", None, "open")
    assert "Your request is with the studio" in client.get(response["Location"]).content.decode()

    staff = make_staff()
    admin = Client()
    admin.force_login(staff)
    listing = admin.get("/admin/billing/accessrequest/").content.decode()
    assert "dana@example.com" in listing
    form = {"answer": "code", "days": "45", "note": "Welcome to the studio!"}
    with django_capture_on_commit_callbacks(execute=True):
        saved = admin.post(f"/admin/billing/accessrequest/{request.pk}/change/", form)
    assert saved.status_code == 302
    request.refresh_from_db()
    code = AccessCode.objects.get()
    assert (request.state, request.code, request.answered_by) == ("answered", code, staff)
    assert (code.days, code.max_uses, code.created_by) == (45, 1, staff)
    sent = mail.outbox[-1]
    assert sent.to == ["dana@example.com"]
    assert code.code in str(sent.body)
    assert "Welcome to the studio!" in str(sent.body)
    assert AuditEntry.objects.filter(action="billing.access_request_answer").exists()

    # Answered once, however often staff save again.
    with pytest.raises(services.BillingError):
        services.access_request_answer(access_request=request, days=10, staff=staff)
    assert AccessCode.objects.count() == 1


def test_a_member_asks_with_their_address_filled_in(client: Client) -> None:
    alice = make_alice()
    member = log_in(alice)
    page = member.get("/subscribe/").content.decode()
    assert 'value="alice@example.com"' in page
    _request(member, email="alice@example.com")
    assert AccessRequest.objects.get().user == alice


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"website": "http://spam.example"}, "We couldn&#x27;t accept this request."),
        ({"started": "forged"}, "This form is out of date."),
        ({"message": "x" * 2001}, "at most 2000 characters"),
    ],
)
def test_bad_requests_get_a_clear_error_and_keep_what_was_typed(
    client: Client, fields: dict[str, str], words: str
) -> None:
    response = _request(client, **fields)
    assert response.status_code == 400
    page = response.content.decode()
    assert words in page
    assert "My instructor Bob sent me." in page or "x" * 100 in page
    assert not AccessRequest.objects.exists()


def test_a_request_sent_at_once_is_refused_as_a_bots(client: Client, settings) -> None:
    settings.COMMENT_MIN_SECONDS = 3
    response = _request(client, started=form_started_token())
    assert response.status_code == 400
    assert "quicker than we expected" in response.content.decode()


def test_requests_are_rate_limited(client: Client) -> None:
    for n in range(3):
        assert _request(client, email=f"p{n}@example.com").status_code == 302
    refused = _request(client, email="p9@example.com")
    assert refused.status_code == 429
    assert "Too many requests" in refused.content.decode()
    assert AccessRequest.objects.count() == 3


def test_only_staff_see_requests_in_the_admin(client: Client) -> None:
    _request(client)
    alice = log_in(make_alice())
    response = alice.get("/admin/billing/accessrequest/")
    assert response.status_code == 302
    assert re.search(r"/accounts/login/|/admin/login/", response["Location"])
