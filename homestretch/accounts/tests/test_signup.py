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
    assert "This link has expired or does not work" in reused.content.decode()
    assert client.post(link).status_code == 404


@pytest.mark.django_db
def test_an_expired_verification_link_is_refused(client: Client, settings) -> None:
    _sign_up(client, "dana@example.com")
    link = _confirmation_link()
    settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 0
    response = client.get(link)
    assert "This link has expired or does not work" in response.content.decode()
    assert not EmailAddress.objects.get(email="dana@example.com").verified


@pytest.mark.django_db
def test_account_emails_name_the_site_from_site_name(client: Client, settings) -> None:
    """They said "Hello from !": without the Sites framework allauth had no name."""
    settings.SITE_NAME = "Pelvis Studio"
    settings.SITE_URL = "https://pelvis.example.org"
    _sign_up(client, "dana@example.com")
    body = str(mail.outbox[-1].body)
    assert "Hello from Pelvis Studio!" in body
    assert "pelvis.example.org" in body
    assert "Hello from !" not in body
    client.post("/accounts/password/reset/", {"email": "dana@example.com"})
    assert "Hello from Pelvis Studio!" in str(mail.outbox[-1].body)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sent", "stored"),
    [("Europe/Berlin", "Europe/Berlin"), ("Mars/Olympus", "UTC"), ("", "UTC"), (None, "UTC")],
)
def test_sign_up_takes_the_time_zone_from_the_browser_or_falls_back_to_utc(
    client: Client, sent: str | None, stored: str
) -> None:
    data = {"email": "dana@example.com", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    if sent is not None:
        data["timezone"] = sent
    response = client.post(SIGNUP, data)
    assert response.status_code == 302  # a bad zone is never an error: the person never saw it
    assert User.objects.get().timezone == stored


@pytest.mark.django_db
def test_the_account_pages_speak_like_the_site(client: Client) -> None:
    login = client.get("/accounts/login/").content.decode()
    assert "<h1>Log in</h1>" in login
    assert "Sign In" not in login
    signup = client.get(SIGNUP).content.decode()
    assert "<h1>Sign up</h1>" in signup
    assert "Sign Up" not in signup
    assert 'href="/privacy/"' in signup
    assert 'href="/terms/"' in signup
    assert 'name="timezone"' in signup
    assert "js/timezone.js" in signup
    assert "<title>Log in · Homestretch</title>" in login


@pytest.mark.django_db
def test_account_emails_and_the_sessions_page_speak_like_the_site(client: Client) -> None:
    _sign_up(client, "dana@example.com")
    assert mail.outbox[-1].subject == "[Homestretch] Confirm your email address"
    assert "Confirm it is yours by opening this link:" in str(mail.outbox[-1].body)
    make_alice()
    client.post("/accounts/password/reset/", {"email": "alice@example.com"})
    assert mail.outbox[-1].subject == "[Homestretch] Reset your password"
    member = Client()
    member.force_login(User.objects.get(email="alice@example.com"))
    sessions = member.get("/accounts/sessions/").content.decode()
    assert "<h1>Where you are logged in</h1>" in sessions
    assert "Sign Out" not in sessions
