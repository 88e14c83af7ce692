"""The custom-sequence builder in a browser: add moves from two sequences, order them by
drag and drop and with the keyboard's buttons, save a draft, edit it into version 2."""

import pytest
from playwright.sync_api import Page, expect

from homestretch.accounts.testing import make_bob
from homestretch.custom.models import CustomSequence
from homestretch.custom.testing import make_source
from homestretch.homework.testing import make_teacher
from tests.e2e.helpers import log_in


@pytest.mark.django_db(transaction=True)
def test_an_instructor_builds_a_three_move_custom_sequence(page: Page, live_server) -> None:
    make_teacher(make_bob())
    make_source("pelvic-clock")
    make_source("bridges", chapters=((0, "Bridge"), (8, "Ribs")))
    log_in(page, live_server.url, "bob@example.com")
    page.goto(f"{live_server.url}/studio/sequences/new/")
    page.get_by_label("Title").fill("SI joint rescue")
    page.get_by_role("button", name="Add Pelvic clock from Pelvic Clock").click()
    page.get_by_role("button", name="Add Bridge from Bridges").click()
    page.get_by_role("button", name="Add Warm up from Pelvic Clock").click()
    rows = page.locator("[data-rows] [data-row]")
    expect(rows).to_have_count(3)
    # The keyboard way: Warm up goes first.
    page.get_by_role("button", name="Move up: Warm up, move 3").click()
    page.get_by_role("button", name="Move up: Warm up, move 2").click()
    # Drag and drop: Pelvic clock (now second) is dropped onto the top half of Warm up.
    # (The drag's events are dispatched: headless Chromium's mouse drags don't start one.)
    carried = page.evaluate_handle("new DataTransfer()")
    box = rows.nth(0).bounding_box()
    assert box is not None
    rows.nth(1).dispatch_event("dragstart", {"dataTransfer": carried})
    rows.nth(0).dispatch_event("dragover", {"dataTransfer": carried})
    rows.nth(0).dispatch_event("drop", {"dataTransfer": carried, "clientY": box["y"] + 2})
    rows.nth(1).dispatch_event("dragend", {"dataTransfer": carried})
    expect(rows.nth(0)).to_contain_text("Pelvic clock")
    expect(rows.nth(1)).to_contain_text("Warm up")
    rows.nth(0).get_by_label("Repetitions").fill("10")
    rows.nth(2).get_by_label("Cue").fill("Breathe out as you lift")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_contain_text("Saved “SI joint rescue”, version 1")

    items = list(CustomSequence.objects.get().versions.get(number=1).items.all())
    assert [(i.title, i.reps, i.note) for i in items] == [
        ("Pelvic clock", 10, ""),
        ("Warm up", None, ""),
        ("Bridge", None, "Breathe out as you lift"),
    ]
    page.get_by_role("link", name="SI joint rescue").click()
    page.get_by_role("button", name="Remove Warm up, move 2").click()
    page.get_by_role("button", name="Save as a new version").click()
    expect(page.get_by_role("status")).to_contain_text("version 2")
    assert CustomSequence.objects.get().versions.get(number=2).items.count() == 2
