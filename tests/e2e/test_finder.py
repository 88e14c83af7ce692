"""The finder in a real browser: search with a badge filter, open a profile, send a message;
and axe on the finder and studio pages."""

import re
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from homestretch.accounts.testing import PASSWORD, make_bob
from homestretch.finder.models import ContactMessage
from homestretch.finder.testing import give_photo, make_class, make_instructor
from tests.e2e.test_accessibility import _violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _instructors() -> None:
    # Around Berlin, at different distances; one without NS in between.
    for name, lat in (("Far NS", 52.85), ("Near NS", 52.53), ("Middle NS", 52.65)):
        make_class(make_instructor(name, lat=lat, lng=13.405, badges=("NS",)))
    make_instructor("No badge", lat=52.6, lng=13.405, badges=("F1",))


def test_search_a_city_with_the_ns_filter_open_a_profile_and_send_a_message(
    page: Page, live_server
) -> None:
    _instructors()
    page.goto(f"{live_server.url}/finder/")
    page.get_by_label("Place").fill("Berlin")
    page.get_by_label("Badge").select_option("NS")
    page.get_by_role("button", name="Search").click()
    expect(
        page.get_by_role("heading", level=2, name=re.compile("within 50 km of Berlin"))
    ).to_be_visible()
    cards = page.locator(".instructor-card")
    expect(cards).to_have_count(3)
    assert cards.locator("h3").all_inner_texts() == ["Near NS", "Middle NS", "Far NS"]
    distances = [float(t.split()[0]) for t in cards.locator(".distance").all_inner_texts()]
    assert distances == sorted(distances)
    for card in cards.all():
        expect(card.locator(".badge", has_text="NS")).to_be_visible()
    # The map draws a marker per result even without tiles.
    expect(page.locator("#finder-map .leaflet-marker-icon")).to_have_count(3)

    cards.first.get_by_role("link", name="Near NS").click()
    expect(page.get_by_role("heading", level=1, name="Near NS")).to_be_visible()
    page.get_by_label("Your name").fill("Maya")
    page.get_by_label("Your email").fill("maya@example.org")
    page.get_by_label("Message").fill("Is there room in the Wednesday class?")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_text("Your message is on its way")).to_be_visible()
    message = ContactMessage.objects.get()
    assert message.instructor.display_name == "Near NS"
    assert [email.reply_to for email in mail.outbox] == [["maya@example.org"]]


def test_finder_profile_and_studio_pages_pass_axe(browser: Browser, live_server) -> None:
    _instructors()
    bob = make_bob()
    make_class(make_instructor("Bob", user=bob, lat=52.4, badges=("NS",)))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    found = {}
    for path in (
        "/finder/",
        "/finder/?near=Berlin&badge=NS",
        "/finder/?near=Hamburgg",
        "/finder/bob/",
    ):
        page.goto(f"{live_server.url}{path}")
        if "badge" in path:
            expect(page.locator("#finder-map .leaflet-marker-icon")).to_have_count(4)
        found[path] = _violations(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(bob.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    for path in ("/studio/", "/studio/profile/"):
        page.goto(f"{live_server.url}{path}")
        found[path] = _violations(page)
    context.close()
    assert {path: problems for path, problems in found.items() if problems} == {}


def test_a_place_name_finds_the_place_meant_first(browser: Browser, live_server) -> None:
    make_instructor("Berlin Teacher", lat=52.52, lng=13.405)
    make_instructor("London Teacher", lat=51.51, lng=-0.13, city="London")
    make_instructor("Ontario Teacher", lat=42.98, lng=-81.25, city="London")
    for locale, place, teacher, did_you_mean in (
        ("en-US", "Berlin", "Berlin Teacher", None),
        ("en-US", "London", "London Teacher", None),
        ("en-GB", "London", "London Teacher", None),
        # From Canada, London, Ontario is meant; the UK's is one click away.
        ("en-CA", "London", "Ontario Teacher", "London, United Kingdom"),
    ):
        context = browser.new_context(locale=locale)
        page = context.new_page()
        page.goto(f"{live_server.url}/finder/")
        page.get_by_label("Place").fill(place)
        page.get_by_role("button", name="Search").click()
        heading = page.get_by_role("heading", level=2, name=re.compile("Instructors within"))
        expect(heading).to_be_visible()
        cards = page.locator(".instructor-card h3")
        expect(cards).to_have_text([teacher])
        if did_you_mean is None:
            expect(page.get_by_text("Did you mean")).to_have_count(0)
        else:
            page.get_by_role("link", name=did_you_mean).click()
            expect(heading).to_contain_text(did_you_mean)
            expect(cards).to_have_text(["London Teacher"])
        context.close()


def test_cards_and_profile_show_photo_town_badges_and_class_times_in_the_class_zone(
    browser: Browser, live_server
) -> None:
    instructor = give_photo(make_instructor("Lena", badges=("NS",)))
    cls = make_class(instructor, title="Pelvic stability")  # Wednesdays 18:00, Europe/Berlin
    # Five or six hours earlier in New York, depending on the week's daylight saving.
    in_new_york = cls.next_start().astimezone(ZoneInfo("America/New_York"))
    # A visitor in New York: times stay Berlin's, named, until they ask for their own.
    context = browser.new_context(timezone_id="America/New_York")
    page = context.new_page()
    page.goto(f"{live_server.url}/finder/?near=Berlin")
    card = page.locator(".instructor-card")
    expect(card.locator("img.instructor-photo")).to_have_js_property("complete", True)
    assert card.locator("img.instructor-photo").evaluate("i => i.naturalWidth") > 0
    expect(card.locator(".town")).to_have_text("Berlin")
    expect(card.locator(".badge")).to_have_text("NS")
    expect(card).to_contain_text("18:00 Europe/Berlin time (CE")

    card.get_by_role("link", name="Lena").click()
    expect(page.get_by_role("heading", level=1, name="Lena")).to_be_visible()
    assert page.locator(".profile-head img").evaluate("i => i.naturalWidth") > 0
    expect(page.locator(".profile-head .town")).to_have_text("Berlin")
    expect(page.locator(".profile-head .badge")).to_have_text("NS")
    classes = page.locator(".class-list li")
    expect(classes).to_contain_text("18:00\u201319:00 Europe/Berlin time (CE")
    page.get_by_role("link", name="Show the times in my time zone (America/New_York)").click()
    expect(page.get_by_text("Times in America/New_York.")).to_be_visible()
    expect(classes).to_contain_text(f"{in_new_york:%H:%M}\u2013{in_new_york.hour + 1:02}:00")
    expect(classes).to_contain_text("America/New_York time (E")
    context.close()


def test_a_visitor_types_a_code_to_check_a_badge(page: Page, live_server) -> None:
    instructor = make_instructor("Pat", badges=("NS",))
    credential = instructor.credentials.get()
    page.goto(f"{live_server.url}{instructor.get_absolute_url()}")
    page.get_by_role("link", name="Check a credential code").click()
    page.get_by_label("Credential code", exact=True).fill("ABCDE-FGHJK")
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_role("alert")).to_contain_text("No credential has the code ABCDE-FGHJK.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check a credential")
    # Typed loosely, as read over the phone: lower case, a space for the hyphen.
    page.get_by_label("Credential code", exact=True).fill(credential.code.lower().replace("-", " "))
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Credential {credential.code}")
    expect(page.locator(".verify-status")).to_have_text("Valid")
