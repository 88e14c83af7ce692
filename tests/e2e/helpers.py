import time

from playwright.sync_api import Page, expect

from homestretch.accounts.testing import PASSWORD


def wait_until(page: Page, expression: str, timeout: float = 60) -> None:
    """Poll a JavaScript expression with page.evaluate until it is truthy.

    Playwright's wait_for_function evaluates a string, which our CSP (no 'unsafe-eval')
    refuses; page.evaluate goes through the DevTools protocol instead.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        page.wait_for_timeout(100)


def log_in(page: Page, base_url: str, email: str = "alice@example.com") -> None:
    """Sign in through the real form, as a person would, and wait for the page after it."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # Attached, not visible: on a phone the link waits behind the menu button.
    expect(page.get_by_role("link", name="My practice", include_hidden=True)).to_be_attached()
