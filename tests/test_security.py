import re

import pytest
from django.test import Client

from tests.helpers import PRODUCTION_ENV, run_django

NONCE = re.compile(r"script-src 'self' 'nonce-([^']+)'")


def _nonce(response) -> str:
    match = NONCE.search(response["Content-Security-Policy"])
    assert match, response["Content-Security-Policy"]
    return match.group(1)


@pytest.mark.django_db
def test_every_page_has_a_strict_csp_whose_nonce_matches_the_page(client: Client) -> None:
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    nonce = _nonce(response)
    scripts = re.findall(r"<script[^>]*>", response.content.decode())
    assert scripts, "the page loads no script to check"
    for tag in scripts:
        assert f'nonce="{nonce}"' in tag


@pytest.mark.django_db
def test_the_nonce_changes_with_every_request(client: Client) -> None:
    nonces = {_nonce(client.get("/accounts/login/")) for _ in range(3)}
    assert len(nonces) == 3


@pytest.mark.django_db
def test_pages_send_the_baseline_security_headers(client: Client) -> None:
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_check_deploy_is_clean_with_production_settings() -> None:
    result = run_django("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_sends_hsts_and_secure_cookies(tmp_path) -> None:
    env = {**PRODUCTION_ENV, "DATABASE_URL": "sqlite:///:memory:", "STATIC_ROOT": str(tmp_path)}
    collected = run_django("collectstatic", "--noinput", env=env)
    assert collected.returncode == 0, collected.stderr
    # nginx sends the .gz copies (gzip_static); no .br copies are made for it to ignore.
    assert list(tmp_path.rglob("htmx.min.*.js.gz"))
    assert not list(tmp_path.rglob("*.br"))
    code = """
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
response = Client().get("/accounts/login/", secure=True, HTTP_HOST="homestretch.example.org")
print(response.status_code)
print(response["Strict-Transport-Security"])
print(response.cookies["csrftoken"].output())
print(Client().get("/", HTTP_HOST="homestretch.example.org").status_code)
"""
    result = run_django(env=env, code=code)
    assert result.returncode == 0, result.stderr
    status, hsts, cookie, plain_http = result.stdout.strip().splitlines()
    assert status == "200"
    assert hsts == "max-age=31536000; includeSubDomains; preload"
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert plain_http == "301"  # redirected to https


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run_django("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


@pytest.mark.django_db
def test_the_admin_login_sends_staff_to_the_sign_in_that_asks_for_their_code(client) -> None:
    """Django's admin form checks the password alone, which would skip two-factor."""
    from homestretch.accounts.testing import PASSWORD, make_staff

    staff = make_staff()
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    # Posting the password to the admin's form signs nobody in.
    client.post("/admin/login/?next=/admin/", {"username": staff.email, "password": PASSWORD})
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    # Through allauth, the password leads to the code, not into the admin.
    response = client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
