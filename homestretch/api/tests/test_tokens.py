"""Apps sign in for tokens (allauth's headless API) and call the API with them."""

from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from homestretch.accounts.models import AppSignIn
from homestretch.accounts.testing import PASSWORD, log_in, make_alice, make_charlie
from tests.production.stack import totp

AUTH = "/api/auth/app/v1"


def _sign_in(email: str = "alice@example.com", password: str = PASSWORD, **headers: Any):
    return Client(**headers).post(
        f"{AUTH}/auth/login", {"email": email, "password": password}, "application/json"
    )


def _bearer(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}", enforce_csrf_checks=True)


@pytest.mark.django_db
def test_an_app_signs_in_calls_the_api_refreshes_and_logs_out() -> None:
    make_alice()
    response = _sign_in(HTTP_USER_AGENT="Homestretch for Android")
    assert response.status_code == 200, response.content
    meta = response.json()["meta"]
    access, refresh = meta["access_token"], meta["refresh_token"]

    app = _bearer(access)
    assert app.get("/api/me").json()["email"] == "alice@example.com"
    # A token is no ambient credential: no CSRF token needed.
    changed = app.patch("/api/me", {"display_name": "Al"}, content_type="application/json")
    assert changed.status_code == 200
    assert AppSignIn.objects.get().client == "Homestretch for Android"

    renewed = Client().post(
        f"{AUTH}/tokens/refresh", {"refresh_token": refresh}, "application/json"
    )
    assert renewed.status_code == 200
    new_access = renewed.json()["data"]["access_token"]
    assert _bearer(new_access).get("/api/me").status_code == 200
    # The refresh token was used up.
    again = Client().post(f"{AUTH}/tokens/refresh", {"refresh_token": refresh}, "application/json")
    assert again.status_code != 200

    session_token = meta["session_token"]
    out = Client(HTTP_X_SESSION_TOKEN=session_token).delete(f"{AUTH}/auth/session")
    assert out.status_code == 401  # allauth's "signed out" answer
    refused = _bearer(new_access).get("/api/me")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "not_authenticated"


@pytest.mark.django_db
def test_a_bad_token_gets_401_and_a_cookie_still_needs_csrf() -> None:
    assert _bearer("not-a-token").get("/api/me").status_code == 401
    # Open routes take no token, or a good one: a bad one is not quietly ignored.
    assert _bearer("not-a-token").get("/api/library/sequences").status_code == 401
    assert Client().get("/api/library/sequences").status_code == 200
    browser = Client(enforce_csrf_checks=True)
    browser.cookies = log_in(make_alice()).cookies
    response = browser.patch("/api/me", {"display_name": "C"}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


@pytest.mark.django_db
def test_two_factor_accounts_give_their_code_before_getting_tokens() -> None:
    alice = make_alice()
    secret = generate_totp_secret()
    TOTP.activate(alice, secret)
    first = _sign_in()
    assert first.status_code == 401
    assert "access_token" not in first.json().get("meta", {})
    session_token = first.json()["meta"]["session_token"]
    step = Client(HTTP_X_SESSION_TOKEN=session_token)
    wrong = step.post(f"{AUTH}/auth/2fa/authenticate", {"code": "000000"}, "application/json")
    assert wrong.status_code == 400
    done = step.post(f"{AUTH}/auth/2fa/authenticate", {"code": totp(secret)}, "application/json")
    assert done.status_code == 200, done.content
    assert _bearer(done.json()["meta"]["access_token"]).get("/api/me").status_code == 200


@pytest.mark.django_db
def test_token_sign_in_is_locked_after_failures_like_the_web_login() -> None:
    make_alice()
    answers = [_sign_in(password="wrong-password-1") for _ in range(5)]
    assert [a.status_code for a in answers] == [400, 400, 400, 400, 429]
    assert answers[-1].json()["errors"][0]["code"] == "too_many_login_attempts"
    # The right password is refused too until the lock cools off.
    locked = _sign_in()
    assert locked.status_code in (400, 429)
    assert "too_many_login_attempts" in locked.content.decode()
    assert "access_token" not in locked.content.decode()


@pytest.mark.django_db
def test_a_member_sees_and_signs_out_an_app_on_me_and_its_token_ends() -> None:
    alice = make_alice()
    access = _sign_in(HTTP_USER_AGENT="Homestretch for iOS").json()["meta"]["access_token"]
    page = log_in(alice)
    body = page.get("/me/").content.decode()
    assert "Homestretch for iOS" in body
    sign_in = AppSignIn.objects.get()

    other = log_in(make_charlie())
    assert other.post(f"/me/apps/{sign_in.pk}/sign-out/").status_code == 404
    assert _bearer(access).get("/api/me").status_code == 200

    assert page.post(f"/me/apps/{sign_in.pk}/sign-out/").status_code == 302
    assert _bearer(access).get("/api/me").status_code == 401
    assert "Homestretch for iOS" not in page.get("/me/").content.decode()


@pytest.mark.django_db
def test_an_app_is_listed_once_on_me_under_apps_not_again_among_the_browsers() -> None:
    alice = make_alice()
    access = _sign_in(HTTP_USER_AGENT="Homestretch for iOS").json()["meta"]["access_token"]
    page = log_in(alice)
    body = page.get("/me/").content.decode()
    browsers = body.split('id="sessions-heading"', 1)[1].split('id="apps-heading"', 1)[0]
    apps = body.split('id="apps-heading"', 1)[1].split("</section>", 1)[0]
    assert "Firefox on Linux" in browsers
    assert "Homestretch for iOS" not in browsers
    assert apps.count("Homestretch for iOS, signed in") == 1
    assert body.count("Homestretch for iOS") == 2  # the line, and its button's hidden name
    # The one browser's "log out other sessions" still offers to end the app's session.
    assert "This signs out the apps below too." in browsers
    assert page.post("/me/sessions/end-others/").status_code == 302
    assert _bearer(access).get("/api/me").status_code == 401
    assert "Homestretch for iOS" not in page.get("/me/").content.decode()


@pytest.mark.django_db
def test_sign_in_errors_have_the_shapes_readme_shows() -> None:
    make_alice()
    wrong = _sign_in(password="wrong-password-1").json()
    assert wrong["status"] == 400
    assert {"message", "code", "param"} <= set(wrong["errors"][0])
    stale = Client().post(
        f"{AUTH}/tokens/refresh", {"refresh_token": "no-such-token"}, "application/json"
    )
    assert (stale.status_code, stale.json()) == (400, {"status": 400})
    garbled = Client().post(f"{AUTH}/auth/login", "email=alice", "application/json")
    assert (garbled.status_code, garbled.content) == (400, b"")
