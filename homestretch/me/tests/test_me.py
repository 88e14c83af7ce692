import pytest
from allauth.usersessions.models import UserSession
from django.test import Client

from homestretch.accounts.testing import log_in, make_alice, make_charlie


@pytest.mark.django_db
def test_it_sends_anonymous_visitors_to_login(client: Client) -> None:
    response = client.get("/me/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/me/"


@pytest.mark.django_db
def test_it_shows_only_my_own_account(client: Client) -> None:
    alice = make_alice()
    make_charlie()
    client.force_login(alice)
    response = client.get("/me/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "alice@example.com" in page
    assert "charlie@example.com" not in page


@pytest.mark.django_db
def test_it_saves_the_profile(client: Client) -> None:
    alice = make_alice()
    client.force_login(alice)
    response = client.post("/me/", {"display_name": "Alice W.", "timezone": "Europe/Vienna"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.display_name, alice.timezone) == ("Alice W.", "Europe/Vienna")


@pytest.mark.django_db
def test_htmx_gets_only_the_profile_fragment(client: Client) -> None:
    client.force_login(make_alice())
    response = client.post(
        "/me/", {"display_name": "Al", "timezone": "UTC"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="profile"')
    assert "Saved." in page
    assert "<h1>" not in page


@pytest.mark.django_db
def test_a_bad_timezone_is_a_form_error_and_changes_nothing(client: Client) -> None:
    alice = make_alice()
    client.force_login(alice)
    response = client.post("/me/", {"display_name": "Changed", "timezone": "Mars/Olympus"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    alice.refresh_from_db()
    assert (alice.display_name, alice.timezone) == ("Alice", "UTC")


@pytest.mark.django_db
def test_it_lists_my_sessions_and_logs_out_the_others() -> None:
    alice = make_alice()
    laptop = log_in(alice, user_agent="Firefox on Linux")
    phone = log_in(alice, user_agent="Safari on iPhone")
    charlie = log_in(make_charlie(), user_agent="Chrome on Windows")

    page = laptop.get("/me/").content.decode()
    assert "Firefox on Linux" in page
    assert "Safari on iPhone" in page
    assert "Chrome on Windows" not in page

    response = laptop.post("/me/sessions/end-others/")
    assert response.status_code == 302
    assert laptop.get("/me/").status_code == 200
    assert phone.get("/me/").status_code == 302  # back to the login page
    assert charlie.get("/me/").status_code == 200
    assert UserSession.objects.filter(user=alice).count() == 1


@pytest.mark.django_db
def test_ending_other_sessions_needs_a_login_and_a_post(client: Client) -> None:
    assert client.post("/me/sessions/end-others/").status_code == 302
    client.force_login(make_alice())
    assert client.get("/me/sessions/end-others/").status_code == 405


@pytest.mark.django_db
def test_the_profile_form_is_protected_by_csrf() -> None:
    alice = make_alice()
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post("/me/", {"display_name": "Mallory", "timezone": "UTC"})
    assert response.status_code == 403
    alice.refresh_from_db()
    assert alice.display_name == "Alice"
