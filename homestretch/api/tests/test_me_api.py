import pytest
from django.test import Client

from homestretch.accounts.testing import make_alice, make_charlie


@pytest.mark.django_db
def test_anonymous_callers_get_401(client: Client) -> None:
    assert client.get("/api/me").status_code == 401
    assert client.patch("/api/me", {}, content_type="application/json").status_code == 401


@pytest.mark.django_db
def test_it_returns_my_own_profile(client: Client) -> None:
    alice = make_alice()
    make_charlie()
    client.force_login(alice)
    response = client.get("/api/me")
    assert response.status_code == 200
    assert response.json() == {
        "email": "alice@example.com",
        "display_name": "Alice",
        "timezone": "UTC",
        "is_instructor": False,
        "is_staff": False,
    }


@pytest.mark.django_db
def test_a_change_needs_the_csrf_token() -> None:
    alice = make_alice()
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    body = {"display_name": "Mallory"}
    response = client.patch("/api/me", body, content_type="application/json")
    assert response.status_code == 403
    alice.refresh_from_db()
    assert alice.display_name == "Alice"

    client.get("/me/")  # a page the browser has open sets the token cookie
    token = client.cookies["csrftoken"].value
    response = client.patch(
        "/api/me", body, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200
    assert response.json()["display_name"] == "Mallory"


@pytest.mark.django_db
def test_a_bad_timezone_gets_422_and_changes_nothing(client: Client) -> None:
    alice = make_alice()
    client.force_login(alice)
    response = client.patch(
        "/api/me",
        {"display_name": "Al", "timezone": "Mars/Olympus"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "not a time zone we know" in response.content.decode()
    alice.refresh_from_db()
    assert (alice.display_name, alice.timezone) == ("Alice", "UTC")


@pytest.mark.django_db
def test_the_openapi_description_is_served(client: Client) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Homestretch API"
    assert "/api/me" in schema["paths"]
