import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from playwright.sync_api import Page, expect

from homestretch.accounts.testing import make_alice

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "walk-the-hills-slowly-42"


def test_a_visitor_signs_up_verifies_logs_in_and_out(page: Page, live_server) -> None:
    page.goto(live_server.url)
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Email").fill("dana@example.com")
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Password (again)").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    # The verification email arrives with a link to confirm the address.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dana@example.com"]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", str(mail.outbox[0].body))
    assert link is not None
    page.goto(link.group(0))
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert EmailAddress.objects.get(email="dana@example.com").verified

    page.get_by_label("Email").fill("dana@example.com")
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My practice")
    expect(page.get_by_role("status")).to_contain_text("You are logged in as dana@example.com")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in", exact=True)).to_be_visible()
    page.goto(f"{live_server.url}/me/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/me/"))


def test_a_wrong_password_is_refused_with_a_clear_message(page: Page, live_server) -> None:
    make_alice()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("alice@example.com")
    page.get_by_label("Password", exact=True).fill("not-her-password")
    page.get_by_role("button", name="Log in").click()
    expect(
        page.get_by_text("The email address and/or password you specified are not correct.")
    ).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value("alice@example.com")
