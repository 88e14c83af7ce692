import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from homestretch.accounts.models import User
from homestretch.accounts.testing import make_alice

SIGNUP = "/accounts/signup/"
GOOD_PASSWORD = "slow-steady-pelvis-9"


def _sign_up(client: Client, email: str, password: str = GOOD_PASSWORD, again: str | None = None):
    return client.post(
        SIGNUP, {"email": email, "password1": password, "password2": again or password}
    )


def _confirmation_link() -> str:
    match = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", str(mail.outbox[-1].body))
    assert match, mail.outbox[-1].body
    return match.group(1)


@pytest.mark.django_db
def test_sign_up_sends_a_verification_email(client: Client) -> None:
    response = _sign_up(client, "Dana@Example.com")
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "dana@example.com"
    # Hashed (with the suite's fast hasher; production's Argon2: tests/test_settings.py).
    assert user.check_password(GOOD_PASSWORD)
    assert GOOD_PASSWORD not in user.password
    assert mail.outbox[0].to == ["dana@example.com"]
    assert not EmailAddress.objects.get(user=user).verified


@pytest.mark.django_db
def test_a_weak_password_is_a_form_error(client: Client) -> None:
    response = _sign_up(client, "dana@example.com", password="password")
    assert response.status_code == 200
    page = response.content.decode()
    assert "This password is too short" in page
    assert "This password is too common" in page
    assert not User.objects.exists()


@pytest.mark.django_db
def test_a_duplicate_email_is_a_form_error_and_the_first_account_is_kept(client: Client) -> None:
    alice = make_alice()
    old_password = alice.password
    response = _sign_up(client, "ALICE@example.com")
    assert response.status_code == 200
    assert "A user is already registered with this email address." in response.content.decode()
    assert User.objects.count() == 1
    alice.refresh_from_db()
    assert alice.password == old_password


@pytest.mark.django_db
def test_login_waits_for_verification(client: Client) -> None:
    _sign_up(client, "dana@example.com")
    client.logout()
    response = client.post(
        "/accounts/login/", {"login": "dana@example.com", "password": GOOD_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_verification_link_works_once(client: Client) -> None:
    _sign_up(client, "dana@example.com")
    link = _confirmation_link()
    assert client.post(link).status_code == 302
    assert EmailAddress.objects.get(email="dana@example.com").verified

    reused = client.get(link)
    assert "This email confirmation link expired or is invalid" in reused.content.decode()
    assert client.post(link).status_code == 404


@pytest.mark.django_db
def test_an_expired_verification_link_is_refused(client: Client, settings) -> None:
    _sign_up(client, "dana@example.com")
    link = _confirmation_link()
    settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 0
    response = client.get(link)
    assert "This email confirmation link expired or is invalid" in response.content.decode()
    assert not EmailAddress.objects.get(email="dana@example.com").verified
