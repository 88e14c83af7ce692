import re

import pytest
from django.test import Client
from django.urls import path

from homestretch.accounts.testing import make_alice
from homestretch.urls import urlpatterns as site_urlpatterns

PUBLIC_PAGES = [
    "/",
    "/library/",
    "/programs/",
    "/finder/",
    "/articles/",
    "/subscribe/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
]


def _h1_count(html: str) -> int:
    return len(re.findall(r"<h1[\s>]", html))


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_each_public_page_has_exactly_one_h1(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert _h1_count(response.content.decode()) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/me/", "/accounts/email/", "/accounts/password/change/", "/accounts/2fa/"]
)
def test_each_account_page_has_exactly_one_h1(client: Client, url: str) -> None:
    client.force_login(make_alice())
    response = client.get(url)
    assert response.status_code == 200
    assert _h1_count(response.content.decode()) == 1


@pytest.mark.django_db
def test_an_unknown_url_gets_our_404_page(client: Client) -> None:
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "We can't find that page" in page
    assert 'class="site-header"' in page


def _explode(request):
    raise RuntimeError("secret internals")


urlpatterns = [*site_urlpatterns, path("explode/", _explode)]


@pytest.mark.django_db
@pytest.mark.urls("tests.test_pages")
def test_a_server_error_gets_our_500_page_without_a_stack_trace() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/explode/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    assert "secret internals" not in page
    assert "Traceback" not in page


def test_the_favicon_is_found_where_browsers_look(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.svg"
