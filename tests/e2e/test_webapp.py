"""The installable app in a real browser: the service worker installs, a program page read
before can be read again offline, an unknown page shows the offline page, and logging out
forgets what was kept."""

from playwright.sync_api import Page, expect

from homestretch.accounts.testing import make_alice
from homestretch.programs.testing import make_enrollment, make_program
from tests.e2e.helpers import log_in, wait_until

CACHED_PAGES = (
    "caches.keys().then(keys => Promise.all(keys.map(k => caches.open(k).then(c => c.keys()))))"
    ".then(lists => lists.flat().map(r => new URL(r.url).pathname))"
)


def test_a_program_page_read_before_is_there_offline(page: Page, live_server) -> None:
    alice = make_alice()
    make_enrollment(alice, make_program())
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/programs/si-stability/")
    wait_until(page, "navigator.serviceWorker.controller !== null")
    # Opened again now the worker runs the page's requests: it keeps this one.
    page.reload()
    wait_until(page, f"{CACHED_PAGES}.then(p => p.includes('/programs/si-stability/'))")
    assert page.evaluate(f"{CACHED_PAGES}.then(p => p.some(p => p.includes('.m3u8')))") is False

    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="Si Stability", exact=True)).to_be_visible()
    page.goto(f"{live_server.url}/finder/")
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()

    page.context.set_offline(False)
    page.goto(f"{live_server.url}/programs/si-stability/")
    page.get_by_role("button", name="Log out").click()
    wait_until(page, f"{CACHED_PAGES}.then(p => !p.includes('/programs/si-stability/'))")
