import re

import pytest
from playwright.sync_api import Browser, Page, expect

from homestretch.accounts.models import User
from homestretch.accounts.testing import make_alice
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.e2e


def test_the_profile_saves_in_place_without_a_reload(page: Page, live_server) -> None:
    make_alice()
    log_in(page, live_server.url, "alice@example.com")
    page.evaluate("window.beforeSave = 'still here'")

    page.get_by_label("Display name").fill("Alice in the hills")
    page.get_by_label("Timezone").select_option("Europe/Lisbon")
    page.get_by_role("button", name="Save profile").click()

    expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    assert page.evaluate("window.beforeSave") == "still here"  # htmx swapped, no reload
    alice = User.objects.get(email="alice@example.com")
    assert (alice.display_name, alice.timezone) == ("Alice in the hills", "Europe/Lisbon")


def test_a_bad_value_shows_its_error_in_place(page: Page, live_server) -> None:
    make_alice()
    log_in(page, live_server.url, "alice@example.com")
    page.get_by_label("Display name").fill("x" * 81)  # the field allows 80; the browser enforces
    assert len(page.get_by_label("Display name").input_value()) == 80
    page.get_by_label("Display name").evaluate("el => el.removeAttribute('maxlength')")
    page.get_by_label("Display name").fill("x" * 81)
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("alert")).to_contain_text("at most 80 characters")
    assert User.objects.get(email="alice@example.com").display_name == "Alice"


def test_the_csp_blocks_an_injected_inline_script(browser: Browser, live_server) -> None:
    context = browser.new_context()
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text))
    page.goto(live_server.url)
    assert page.evaluate("typeof window.htmx") == "object"  # the nonced script ran
    page.evaluate(
        """() => {
            const script = document.createElement('script');
            script.textContent = 'window.injected = true';
            document.body.appendChild(script);
        }"""
    )
    assert page.evaluate("window.injected === undefined")
    assert any(re.search(r"Content Security Policy", text) for text in violations)
    context.close()
