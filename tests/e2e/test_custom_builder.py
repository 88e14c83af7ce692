"""The custom-sequence builder in a browser: add moves from two sequences, order them by
drag and drop and with the keyboard's buttons, save a draft, edit it into version 2; and
narrow the list of moves by words, focus area, level and equipment."""

import pytest
from playwright.sync_api import Page, expect

from homestretch.accounts.testing import make_bob
from homestretch.custom.models import CustomSequence
from homestretch.custom.testing import make_source
from homestretch.homework.testing import make_teacher
from homestretch.library.models import Equipment, FocusArea, Level
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


@pytest.mark.django_db(transaction=True)
def test_the_move_list_narrows_by_words_focus_area_level_and_equipment(
    page: Page, live_server
) -> None:
    make_teacher(make_bob())
    pelvis = FocusArea.objects.create(name="Pelvis", slug="pelvis")
    hands = FocusArea.objects.create(name="Hands & feet", slug="hands-feet")
    ball = Equipment.objects.create(name="Soft ball", slug="soft-ball")
    clock = make_source("pelvic-clock", level=Level.GENTLE)
    clock.focus_areas.add(pelvis)
    bridges = make_source("bridges", chapters=((0, "Bridge"), (8, "Ribs")), level=Level.STEADY)
    bridges.focus_areas.add(pelvis)
    bridges.equipment.add(ball)
    toes = make_source("toes", chapters=((0, "Toe spread"),), level=Level.STEADY)
    toes.focus_areas.add(hands)
    log_in(page, live_server.url, "bob@example.com")
    page.goto(f"{live_server.url}/studio/sequences/new/")
    cards = page.locator("[data-move-card]")
    shown = page.locator("[data-move-card]:visible")
    expect(cards).to_have_count(5)

    # Words find focus areas and equipment by name, not only titles.
    search = page.get_by_label("Find a move")
    search.fill("ball")
    expect(shown).to_have_count(2)
    expect(page.get_by_text("2 of 5 moves shown")).to_be_visible()
    search.fill("hands")
    expect(shown).to_have_count(1)
    expect(shown).to_contain_text("Toe spread")
    search.fill("")
    expect(shown).to_have_count(5)

    # The selects narrow together, and with the words.
    page.get_by_label("Focus area").select_option(label="Pelvis")
    expect(shown).to_have_count(4)
    page.get_by_label("Level").select_option(label="Steady")
    expect(shown).to_have_count(2)
    expect(shown.nth(0)).to_contain_text("Bridge")
    page.get_by_label("Equipment").select_option(label="Soft ball")
    expect(shown).to_have_count(2)
    search.fill("ribs")
    expect(shown).to_have_count(1)
    expect(shown).to_contain_text("Ribs")
    page.get_by_label("Focus area").select_option(label="Hands & feet")
    expect(shown).to_have_count(0)
    expect(page.get_by_text("No move matches")).to_be_visible()
    page.get_by_label("Focus area").select_option(label="Any focus area")
    page.get_by_label("Equipment").select_option(label="Any equipment")
    page.get_by_label("Level").select_option(label="Any level")
    search.fill("")
    expect(shown).to_have_count(5)
    expect(page.get_by_text("No move matches")).to_be_hidden()
    # A narrowed move is still added as any other.
    page.get_by_role("button", name="Add Toe spread from Toes").click()
    expect(page.locator("[data-rows] [data-row]")).to_have_count(1)
