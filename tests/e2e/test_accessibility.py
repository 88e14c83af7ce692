"""WCAG 2.2 A/AA checks with axe-core (from npm) on the pages a person meets first."""

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from homestretch.accounts.testing import make_alice, make_bob
from homestretch.billing.testing import give_access
from homestretch.homework.testing import make_assignment, make_consent, make_teacher
from homestretch.programs.testing import make_enrollment, make_program
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PUBLIC = [
    "/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/library/",
    "/programs/",
    "/programs/si-stability/",
]
SIGNED_IN = [
    "/me/",
    "/accounts/email/",
    "/accounts/2fa/",
    "/me/logs/",
    "/programs/si-stability/start/",
    "/programs/si-gentle/day/1/",
    "/me/reminders/",
]
# Alice's instructor's pages: the client dashboard and her page there.
INSTRUCTOR = ["/studio/clients/", "/studio/clients/{consent}/"]


def _violations(page) -> list[str]:
    # axe is evaluated through the DevTools protocol: the page's own CSP still holds.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        """() => axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']})"""
    )
    return [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'])})"
        for v in result["violations"]
    ]


def test_pages_pass_axe_in_dark_on_a_wide_screen(browser: Browser, live_server) -> None:
    """Dark, at a desktop's width. The light scheme at phone widths is checked on every page
    of the URL map, for each kind of person, by test_phone_layout.py."""
    alice = make_alice()
    give_access(alice)
    make_program(days=14)
    make_enrollment(alice, make_program("si-gentle", days=7, condition="Pelvis"))
    consent = make_consent(make_teacher(make_bob()), alice)
    today = alice.local_today()
    make_assignment(consent, starts_on=today, ends_on=today + timedelta(days=14))
    context = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    found = {}
    for path in PUBLIC:
        page.goto(f"{live_server.url}{path}")
        found[path] = _violations(page)
    log_in(page, live_server.url, "alice@example.com")
    for path in SIGNED_IN:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None
        assert response.ok, path
        found[path] = _violations(page)
    context.clear_cookies()
    log_in(page, live_server.url, "bob@example.com")
    for path in INSTRUCTOR:
        response = page.goto(f"{live_server.url}{path.format(consent=consent.pk)}")
        assert response is not None
        assert response.ok, path
        found[path] = _violations(page)
    context.close()
    assert {path: problems for path, problems in found.items() if problems} == {}
