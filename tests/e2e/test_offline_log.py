"""A practice logged without a connection is kept in the browser and sent, once, when the
connection is back, and is saved for the time it was made."""

from collections.abc import Iterator
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from homestretch.accounts.testing import make_alice
from homestretch.billing.testing import give_access
from homestretch.programs.models import PracticeLog
from homestretch.programs.testing import make_practice_sequence
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.helpers import log_in, wait_until


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """Like conftest's page, but the browser's report of the request that found no
    connection is expected here; any other error still fails the test."""
    context = browser.new_context(timezone_id="Europe/Berlin")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and "ERR_INTERNET_DISCONNECTED" not in message.text:
            problems.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    context.close()
    assert problems == [], f"the page reported errors: {problems}"


PENDING = "JSON.parse(localStorage.getItem('homestretch.pendingLogs') || '[]')"


def test_a_log_made_offline_is_sent_once_when_back_online(page: Page, live_server) -> None:
    alice = make_alice()
    alice.timezone = "Pacific/Auckland"
    alice.save(update_fields=["timezone"])
    give_access(alice)
    make_practice_sequence()
    log_in(page, live_server.url)
    # The phone's clock says the log is made on an evening two days ago (in UTC; the next
    # morning at the member's home): it must be saved for that time, not when it is sent.
    made = (timezone.now() - timedelta(days=2)).replace(
        hour=20, minute=0, second=0, microsecond=0, tzinfo=UTC
    )
    page.clock.set_fixed_time(made)
    page.goto(f"{live_server.url}/me/logs/")
    page.get_by_label("Sequence").select_option(value="si-joint-basics")
    page.get_by_label("Pain before").fill("5")
    page.get_by_label("Pain after").fill("3")

    page.context.set_offline(True)
    page.get_by_role("button", name="Save to my log").click()
    expect(page.get_by_role("status").filter(has_text="No connection")).to_have_text(
        "No connection: your log is kept on this device and will be sent when you are back online."
    )
    assert not PracticeLog.objects.exists()
    kept = page.evaluate(f"{PENDING}[0].payload.practised_at")
    # In the phone's own time, with its offset.
    assert kept == made.astimezone(ZoneInfo("Europe/Berlin")).isoformat(timespec="milliseconds")
    # The same kept log twice, as when two tabs both send it: the key saves it once.
    twice = f"{PENDING}.concat({PENDING})"
    page.evaluate(f"localStorage.setItem('homestretch.pendingLogs', JSON.stringify({twice}))")

    page.context.set_offline(False)
    expect(page.get_by_text("The log you made offline has been sent.")).to_be_visible()
    wait_until(page, f"{PENDING}.length === 0")
    log = PracticeLog.objects.get(user=alice)
    assert (log.pain_before, log.pain_after) == (5, 3)
    assert log.idempotency_key
    assert log.logged_at == made
    assert log.local_date == made.astimezone(alice.zone).date() == made.date() + timedelta(days=1)
    page.reload()
    assert PracticeLog.objects.count() == 1
