"""Library search in a browser: a misspelt word still finds the sequence, results are
compact cards with the line that matched, and "Continue watching" says how far a member got."""

import pytest
from playwright.sync_api import Page, expect

from homestretch.accounts.testing import make_alice
from homestretch.library.models import WatchProgress
from homestretch.library.services import sequence_reindex
from homestretch.library.testing import make_sequence
from tests.e2e.helpers import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_misspelt_search_finds_the_pelvis_sequence_in_compact_cards(
    page: Page, live_server
) -> None:
    for n in range(6):
        sequence = make_sequence(
            f"pelvis-{n}",
            title=f"Pelvic clock {n}",
            description=f"Circle the pelvis slowly, variation {n}.",
        )
        sequence_reindex(sequence=sequence)
    sequence_reindex(sequence=make_sequence("shoulders", title="Shoulder rolls"))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/library/")
    page.get_by_label("Search titles, moves and what is said").fill("pelvsi")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("heading", name="6 sequences for “pelvsi”")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("these are for “pelvis”")
    cards = page.locator(".result-card")
    expect(cards).to_have_count(6)
    expect(cards.first.locator("mark")).to_have_text("pelvis")
    expect(page.get_by_text("Shoulder rolls")).to_have_count(0)
    for card in cards.all():
        box = card.bounding_box()
        assert box is not None
        assert box["height"] < 200, f"a result card is {box['height']} px tall"
    cards.get_by_role("link", name="Pelvic clock 0").click()
    expect(page.get_by_role("heading", level=1, name="Pelvic clock 0")).to_be_visible()


def test_continue_watching_shows_how_far_each_sequence_got(page: Page, live_server) -> None:
    alice = make_alice()
    sequence = make_sequence("long-one", title="Long one", duration_seconds=1800)
    WatchProgress.objects.create(user=alice, sequence=sequence, position_seconds=725)
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/library/")
    shelf = page.get_by_role("region", name="Continue watching")
    expect(shelf.get_by_role("link", name="Long one")).to_have_attribute(
        "href", "/library/long-one/?t=725"
    )
    expect(shelf.get_by_text("12 of 30 min")).to_be_visible()
    assert shelf.locator("progress").evaluate("p => p.position") == pytest.approx(725 / 1800)
