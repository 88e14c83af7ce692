"""/privacy/, /terms/ and /contact/: pages staff write in the admin, sanitized, linked
from every page's footer and from sign-up; the demo loads our own text."""

import pytest
from django.test import Client

from homestretch.accounts.testing import make_staff
from homestretch.articles.models import Page
from homestretch.demo.pages import ensure_demo_pages

pytestmark = pytest.mark.django_db


def test_each_page_answers_at_its_address_once_written(client: Client) -> None:
    for path in ("/privacy/", "/terms/", "/contact/"):
        assert client.get(path).status_code == 404
    ensure_demo_pages()
    privacy = client.get("/privacy/").content.decode()
    assert '<h1 id="page-heading">Privacy notice</h1>' in privacy
    assert "practice logs" in privacy
    assert "Your rights" in privacy
    assert client.get("/terms/").status_code == 200
    assert "Contact the studio" in client.get("/contact/").content.decode()
    assert ensure_demo_pages() == []  # idempotent, and never overwrites staff's edits


def test_staff_edit_a_page_in_the_admin_and_its_html_is_sanitized(client: Client) -> None:
    client.force_login(make_staff())
    response = client.post(
        "/admin/articles/page/add/",
        {
            "slug": "terms",
            "title": "Our terms",
            "body": "## Be kind\n\n<script>alert(1)</script><img src=x onerror=alert(2)>",
        },
    )
    assert response.status_code == 302
    page = Page.objects.get()
    assert "<h2" in page.body_html
    assert "<script" not in page.body_html
    assert "<img" not in page.body_html  # raw HTML is shown as text, never run
    html = Client().get("/terms/").content.decode()
    assert "Be kind" in html
    assert "alert(1)</script>" not in html


def test_the_footer_and_sign_up_link_to_them(client: Client) -> None:
    for path in ("/", "/accounts/signup/"):
        html = client.get(path).content.decode()
        assert 'href="/privacy/"' in html
        assert 'href="/terms/"' in html
    assert 'href="/contact/"' in client.get("/").content.decode()
