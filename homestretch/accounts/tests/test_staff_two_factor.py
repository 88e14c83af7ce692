import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from homestretch.accounts.testing import PASSWORD, log_in, make_alice, make_user


@pytest.mark.django_db
def test_staff_without_two_factor_are_sent_to_set_it_up(settings) -> None:
    settings.STAFF_REQUIRE_2FA = True
    client = log_in(make_user("sam@example.com", is_staff=True))
    for path in ("/me/", "/admin/", "/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == "/accounts/2fa/totp/activate/"
    # Setting up two-factor asks for the password once more, then shows the QR code.
    response = client.get("/accounts/2fa/totp/activate/")
    assert response["Location"].startswith("/accounts/reauthenticate/")
    client.post(response["Location"], {"password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    assert "Authenticator code" in page.content.decode()


@pytest.mark.django_db
def test_staff_with_two_factor_go_on(client: Client, settings) -> None:
    settings.STAFF_REQUIRE_2FA = True
    sam = make_user("sam@example.com", is_staff=True)
    TOTP.activate(sam, generate_totp_secret())
    client.force_login(sam)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_members_are_not_asked_for_two_factor(client: Client, settings) -> None:
    settings.STAFF_REQUIRE_2FA = True
    client.force_login(make_alice())
    assert client.get("/me/").status_code == 200


@pytest.mark.django_db
def test_development_lets_staff_in_with_a_password_alone(client: Client, settings) -> None:
    settings.STAFF_REQUIRE_2FA = False
    client.force_login(make_user("sam@example.com", is_staff=True))
    assert client.get("/me/").status_code == 200
