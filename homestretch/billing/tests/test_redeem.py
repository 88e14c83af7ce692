import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from homestretch.accounts.testing import make_alice, make_charlie
from homestretch.audit.models import AuditEntry
from homestretch.billing import services
from homestretch.billing.access import has_library_access
from homestretch.billing.models import AccessCode, AccessGrant, Redemption


def _code(code: str = "STRETCH30", **fields: object) -> AccessCode:
    defaults: dict[str, object] = {
        "days": 30,
        "max_uses": 5,
        "expires_at": timezone.now() + timedelta(days=10),
    }
    return AccessCode.objects.create(code=code, **(defaults | fields))


@pytest.mark.django_db
def test_a_code_typed_with_spaces_and_lower_case_is_redeemed(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    alice = make_alice()
    _code()
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/subscribe/redeem/", {"code": "  stretch 30 "})
    assert response.status_code == 302
    assert response["Location"] == "/library/"
    assert has_library_access(alice)
    grant = AccessGrant.objects.get(user=alice)
    assert grant.ends_at - timezone.now() > timedelta(days=29)
    assert AccessCode.objects.get().uses == 1
    assert AuditEntry.objects.get().action == "billing.redeem"
    assert [m.subject for m in mail.outbox] == ["[Homestretch] Your access code is redeemed"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "typed", "message"),
    [
        ({}, "NOSUCHCODE", "We don&#x27;t know that code"),
        ({"expires_at": timezone.now() - timedelta(minutes=1)}, "STRETCH30", "has expired"),
        ({"max_uses": 1, "uses": 1}, "STRETCH30", "has been used up"),
    ],
    ids=["unknown", "expired", "used up"],
)
def test_a_bad_code_gets_a_message_and_nothing_changes(
    client: Client, fields: dict, typed: str, message: str
) -> None:
    alice = make_alice()
    code = _code(**fields)
    client.force_login(alice)
    response = client.post("/subscribe/redeem/", {"code": typed})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert AccessCode.objects.get().uses == code.uses
    assert not AccessGrant.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_one_person_redeems_a_code_once(client: Client) -> None:
    alice = make_alice()
    _code()
    client.force_login(alice)
    client.post("/subscribe/redeem/", {"code": "STRETCH30"})
    response = client.post("/subscribe/redeem/", {"code": "STRETCH30"})
    assert "already redeemed" in response.content.decode()
    assert AccessCode.objects.get().uses == 1


@pytest.mark.django_db
def test_redeeming_needs_an_account(client: Client) -> None:
    _code()
    response = client.post("/subscribe/redeem/", {"code": "STRETCH30"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert AccessCode.objects.get().uses == 0


@pytest.mark.django_db
def test_redeeming_needs_the_csrf_token() -> None:
    alice = make_alice()
    _code()
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post("/subscribe/redeem/", {"code": "STRETCH30"}).status_code == 403


@pytest.mark.django_db
def test_guessing_codes_is_rate_limited_per_account_and_per_address(client: Client) -> None:
    alice = make_alice()
    client.force_login(alice)
    for _ in range(5):
        assert client.post("/subscribe/redeem/", {"code": "GUESS"}).status_code == 400
    response = client.post("/subscribe/redeem/", {"code": "GUESS"})
    assert response.status_code == 429
    assert "Too many tries" in response.content.decode()

    # Another account from the same address is limited too.
    other = Client()
    other.force_login(make_charlie())
    _code()
    assert other.post("/subscribe/redeem/", {"code": "STRETCH30"}).status_code == 429
    assert not Redemption.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no row locks: it serialises every writer, so there is no race to test",
)
def test_two_people_racing_for_the_last_use_only_one_wins() -> None:
    code = _code(max_uses=1)
    people = [make_alice(), make_charlie()]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def redeem(user) -> None:
        try:
            barrier.wait()
            services.code_redeem(user=user, code=code.code)
            outcomes.append("ok")
        except services.BillingError as e:
            outcomes.append(e.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=redeem, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["That code has been used up.", "ok"]
    assert AccessCode.objects.get().uses == 1
    assert Redemption.objects.count() == 1
