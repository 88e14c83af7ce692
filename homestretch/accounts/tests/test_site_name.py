"""One setting, SITE_NAME, names the site: page titles and header, feeds, emails."""

import pytest
from django.core import mail
from django.test import Client

from homestretch.articles.testing import make_article

pytestmark = pytest.mark.django_db


def test_site_name_names_pages_feeds_and_emails(client: Client, settings) -> None:
    settings.SITE_NAME = "Pelvis Studio"
    home = client.get("/").content.decode()
    assert "<title>Homework for chronic pain · Pelvis Studio</title>" in home
    assert '<a class="brand" href="/">Pelvis Studio</a>' in home
    assert "Homestretch" not in home
    make_article()
    feed = client.get("/articles/feed/").content.decode()
    assert "<title>Pelvis Studio articles</title>" in feed
    client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    client.post(
        "/accounts/signup/",
        {"email": "dana@example.com", "password1": "slow-steady-9x", "password2": "slow-steady-9x"},
    )
    assert mail.outbox[-1].subject.startswith("[Homestretch] ")  # the prefix is read at start-up
    assert "Hello from Pelvis Studio!" in str(mail.outbox[-1].body)
