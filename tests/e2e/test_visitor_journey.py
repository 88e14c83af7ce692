"""A visitor on a site without card payment: /subscribe/ says how to get access and takes
a request for a code; the footer leads to the privacy notice."""

import pytest
from playwright.sync_api import Page, expect

from homestretch.billing.models import AccessRequest, Plan
from homestretch.demo.pages import ensure_demo_pages

pytestmark = pytest.mark.e2e


def test_a_visitor_asks_for_access_and_reads_the_privacy_notice(
    page: Page, live_server, settings
) -> None:
    settings.STRIPE_SECRET_KEY = ""
    settings.COMMENT_MIN_SECONDS = 0  # the form's "too fast" trap is tested on its own
    Plan.objects.create(name="Monthly", slug="monthly", interval="month", price=12, trial_days=14)
    ensure_demo_pages()

    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Subscribe").click()
    expect(page.get_by_role("heading", name="How to get access")).to_be_visible()
    expect(page.get_by_text("free trial")).to_have_count(0)
    expect(page.get_by_text("Monthly")).to_have_count(0)

    page.get_by_label("Your name").fill("Dana")
    page.get_by_label("Your email").fill("dana@example.com")
    page.get_by_label("A note for the studio").fill("Bob at the Tuesday class sent me.")
    page.get_by_role("button", name="Ask for an access code").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "The studio will answer dana@example.com"
    )
    expect(page.get_by_text("Your request is with the studio")).to_be_visible()
    request = AccessRequest.objects.get()
    assert (request.name, request.message) == ("Dana", "Bob at the Tuesday class sent me.")

    page.get_by_role("contentinfo").get_by_role("link", name="Privacy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy notice")
    expect(page.get_by_role("heading", name="Who can see it")).to_be_visible()
