"""The one headless Chromium of a test run, for tests/e2e/ and tests/production/.

Playwright's sync API runs an event loop for as long as it is open, and a second one
cannot start beside it in the same process: so there is one, for the whole session.
The browser is $CHROMIUM, else Debian's /usr/bin/chromium, else Playwright's own
download (`make test` makes sure one of them exists).
"""

import os
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright


def _chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=_chromium_path(),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()
