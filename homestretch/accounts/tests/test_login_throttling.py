import pytest
from django.test import Client

from homestretch.accounts.testing import PASSWORD, make_alice, make_charlie

LOGIN = "/accounts/login/"


def _login(client: Client, email: str, password: str, ip: str = "203.0.113.7"):
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_it_locks_the_account_after_repeated_failures(client: Client, settings) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    make_alice()
    for _ in range(2):
        response = _login(client, "alice@example.com", "wrong-password")
        assert response.status_code == 200
        assert "not correct" in response.content.decode()

    locked = _login(client, "alice@example.com", "wrong-password")
    assert locked.status_code == 429
    assert "Too many failed log-ins" in locked.content.decode()

    # Even the right password is refused while the lock holds.
    response = _login(client, "alice@example.com", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_lock_does_not_spread_to_other_people_or_places(client: Client, settings) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    make_alice()
    make_charlie()
    for _ in range(3):
        _login(client, "alice@example.com", "wrong-password")

    assert _login(Client(), "charlie@example.com", PASSWORD).status_code == 302
    assert _login(Client(), "alice@example.com", PASSWORD, ip="198.51.100.9").status_code == 302


@pytest.mark.django_db
def test_a_successful_login_resets_the_count(client: Client, settings) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    make_alice()
    for _ in range(2):
        _login(client, "alice@example.com", "wrong-password")
    assert _login(client, "alice@example.com", PASSWORD).status_code == 302
    client.logout()
    for _ in range(2):
        assert _login(client, "alice@example.com", "wrong-password").status_code == 200
