from typing import Literal

import pytest
from playwright.sync_api import Browser, Page, expect

from homestretch.accounts.testing import make_alice
from homestretch.programs.testing import make_enrollment, make_logs, make_outcome, make_program
from tests.e2e.helpers import log_in

from .helpers import wait_until
from .test_accessibility import _violations

pytestmark = pytest.mark.e2e


def _member_with_history():
    alice = make_alice()
    enrollment = make_enrollment(alice, make_program(), pain=6, psfs=(("Climbing stairs", 4),))
    make_outcome(enrollment, 14, 4, 4, (("Climbing stairs", 7),))
    make_logs(alice, [(6, 4), None, (5, 3), (7, 2)], enrollment=enrollment)
    return alice


def test_a_member_sees_their_logged_pain_drawn_as_a_chart_and_in_its_table(
    page: Page, live_server
) -> None:
    alice = _member_with_history()
    log_in(page, live_server.url, alice.email)

    page.goto(f"{live_server.url}/me/progress/")
    wait_until(page, "document.querySelectorAll('[data-chart-ready]').length === 3")

    for name in ("pain", "adherence", "outcomes"):
        canvas = page.locator(f"canvas[data-chart={name}]")
        box = canvas.bounding_box()
        assert box is not None
        assert box["width"] > 100
        assert box["height"] > 100
        assert canvas.evaluate("el => window.Chart.getChart(el) !== undefined")
    drawn = page.locator("canvas[data-chart=pain]").evaluate(
        "el => window.Chart.getChart(el).data.datasets.map(set => set.data)"
    )
    assert drawn == [[6, None, 5, 7], [4, None, 3, 2]]  # the missed day is a gap

    # The chart tells the story; its table is folded away, a click from the numbers.
    table = page.get_by_role("table", name="Average pain (0 to 10) before and after practice")
    expect(table).to_be_hidden()
    page.get_by_text("Pain by day, as a table").click()
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first.locator("td")).to_have_text(["1", "7", "2"])
    expect(page.get_by_text("Day 14 compared with your baseline: Improved.")).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_progress_page_passes_axe_with_its_charts_drawn(
    browser: Browser, live_server, scheme: Literal["light", "dark"]
) -> None:
    alice = _member_with_history()
    context = browser.new_context(color_scheme=scheme, viewport={"width": 390, "height": 844})
    page = context.new_page()
    log_in(page, live_server.url, alice.email)
    page.goto(f"{live_server.url}/me/progress/")
    wait_until(page, "document.querySelectorAll('[data-chart-ready]').length === 3")
    problems = _violations(page)
    context.close()
    assert problems == []
