"""WCAG 2.2 A/AA checks with axe-core (from npm) on the pages a person meets first."""

from pathlib import Path
from typing import Literal

import pytest
from playwright.sync_api import Browser

from homestretch.programs.testing import make_enrollment, make_program
from homestretch.testing import PASSWORD, give_access, make_alice

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
]


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


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_pass_axe_in_light_and_dark(
    browser: Browser, live_server, scheme: Literal["light", "dark"]
) -> None:
    alice = make_alice()
    give_access(alice)
    make_program(days=14)
    make_enrollment(alice, make_program("si-gentle", days=7, condition="Pelvis"))
    context = browser.new_context(color_scheme=scheme, viewport={"width": 390, "height": 844})
    page = context.new_page()
    found = {}
    for path in PUBLIC:
        page.goto(f"{live_server.url}{path}")
        found[path] = _violations(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("alice@example.com")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    for path in SIGNED_IN:
        page.goto(f"{live_server.url}{path}")
        found[path] = _violations(page)
    context.close()
    assert {path: problems for path, problems in found.items() if problems} == {}
