import time

from playwright.sync_api import Page


def wait_until(page: Page, expression: str, timeout: float = 20) -> None:
    """Poll a JavaScript expression with page.evaluate until it is truthy.

    Playwright's wait_for_function evaluates a string, which our CSP (no 'unsafe-eval')
    refuses; page.evaluate goes through the DevTools protocol instead.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        page.wait_for_timeout(100)
