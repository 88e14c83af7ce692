"""Phones: no page of the URL map scrolls sideways at phone widths, for any kind of person,
and the main menu folds behind a button that works by touch and by keyboard."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, expect
from playwright.sync_api import Page as Tab

from homestretch.accounts.models import User
from homestretch.accounts.testing import make_alice, make_bob, make_staff
from homestretch.articles.models import Comment, Page
from homestretch.articles.testing import make_article, make_comment
from homestretch.billing.testing import give_access
from homestretch.finder.testing import make_class
from homestretch.homework.testing import make_assignment, make_consent, make_teacher
from homestretch.programs.testing import make_enrollment, make_logs, make_outcome, make_program
from tests.e2e.helpers import log_in
from tests.e2e.test_accessibility import _violations

pytestmark = pytest.mark.e2e

WIDTHS = (320, 360, 390, 430)
# The pages of the URL map (PRODUCT.md) with the data below; {names} are filled in.
PUBLIC = [
    "/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/library/",
    "/library/?q=practice",
    "/library/{sequence}/",
    "/programs/",
    "/programs/{program}/",
    "/finder/",
    "/finder/?near=Berlin",
    "/finder/{instructor}/",
    "/finder/verify/{code}/",
    "/articles/",
    "/articles/{article}/",
    "/subscribe/",
    "/privacy/",
    "/terms/",
    "/contact/",
    "/api/docs",
]
# Signed in, the pages everyone shares look different (the shelf, the player, the menu).
SHARED = ["/", "/library/", "/library/{sequence}/", "/programs/{program}/", "/articles/{article}/"]
MEMBER = [
    *SHARED,
    "/me/",
    "/me/logs/",
    "/me/progress/",
    "/me/reminders/",
    "/programs/{program}/day/1/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
    "/accounts/sessions/",
]
INSTRUCTOR = [
    *SHARED,
    "/me/",
    "/studio/",
    "/studio/profile/",
    "/studio/clients/",
    "/studio/clients/{consent}/",
    "/studio/clients/{consent}/assign/",
    "/studio/clients/history/",
    "/studio/sequences/",
    "/studio/sequences/new/",
]
STAFF = [*SHARED, "/me/", "/moderation/", "/billing/dashboard/", "/admin/"]

# What sticks out past the right edge, for the failure message: the outermost such elements.
_WIDE = """() => {
  const limit = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')].filter(
    (el) => el.getBoundingClientRect().right > limit + 0.5);
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  return wide.filter((el) => !wide.includes(el.parentElement)).slice(0, 5).map(
    (el) => `${name(el)} (right edge ${Math.round(el.getBoundingClientRect().right)})`);
}"""


def _world() -> dict[str, object]:
    """A member mid-program with logs and check-ins, her instructor, staff, an article."""
    alice = make_alice()
    give_access(alice)
    program = make_program(days=28)
    enrollment = make_enrollment(
        alice, program, start_date=alice.local_today() - timedelta(days=20)
    )
    make_outcome(enrollment, 14, 4, 4, (("Climbing stairs", 7),))
    make_logs(alice, [(6, 4), None, (5, 3), (7, 2)] * 5, enrollment=enrollment)
    teacher = make_teacher(make_bob())
    make_class(teacher)
    consent = make_consent(teacher, alice, logs=True, checks=True, progress=True)
    today = alice.local_today()
    sequence = program.days.get(number=1).items.get().sequence
    assert sequence is not None
    make_assignment(
        consent, sequences=[sequence], starts_on=today, ends_on=today + timedelta(days=14)
    )
    make_staff()
    article = make_article(finder_badge="NS")
    make_comment(article, "A long word: Iliosacralgelenkblockierungsbeschwerden, and more.")
    make_comment(article, "Held for the queue", status=Comment.Status.PENDING)
    for slug in Page.Slug.values:
        legal = Page(slug=slug, title=slug.title(), body="## Who we are\n\nA small studio.")
        legal.render()
        legal.save()
    return {
        "sequence": sequence.slug,
        "program": program.slug,
        "instructor": teacher.slug,
        "code": teacher.credentials.get().code,
        "article": article.slug,
        "consent": consent.pk,
    }


def _paths(paths: list[str], names: dict[str, object]) -> list[str]:
    return [path.format(**names) for path in paths]


def _signed_in(browser: Browser, live_server, email: str | None) -> BrowserContext:
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 844})
    if email is not None:
        # The session cookie of a real sign-in (the login form has tests of its own).
        client = Client()
        client.force_login(User.objects.get(email=email))
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
    return context


def _overflow(page: Tab) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


@pytest.mark.parametrize(
    ("persona", "email", "paths"),
    [
        ("visitor", None, PUBLIC),
        ("member", "alice@example.com", MEMBER),
        ("instructor", "bob@example.com", INSTRUCTOR),
        ("staff", "sam@example.com", STAFF),
    ],
)
def test_no_page_scrolls_sideways_on_a_phone_and_axe_stays_clean(
    browser: Browser, live_server, persona: str, email: str | None, paths: list[str]
) -> None:
    names = _world()
    context = _signed_in(browser, live_server, email)
    page = context.new_page()
    too_wide: dict[str, list[str]] = {}
    problems: dict[str, list[str]] = {}
    for path in _paths(paths, names):
        page.set_viewport_size({"width": WIDTHS[0], "height": 844})
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None
        assert response.ok, f"{persona} {path}: {response.status}"
        assert response.url == f"{live_server.url}{path}", f"{persona} {path} redirected"
        # The docs page is ninja's Swagger UI, not ours to mend; its width still counts.
        if path != "/api/docs" and (found := _violations(page)):
            problems[path] = found
        # Narrow to wide: a chart drawn for a wider box would stick out until it redraws.
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 844})
            if (extra := _overflow(page)) > 0:
                too_wide[f"{path} at {width}px"] = [f"{extra}px too wide", *page.evaluate(_WIDE)]
    context.close()
    assert too_wide == {}
    assert problems == {}


def test_on_a_phone_the_menu_opens_and_closes_by_touch_and_by_keyboard(
    page: Tab, live_server
) -> None:
    make_alice()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server.url)
    nav = page.get_by_role("navigation", name="Main")
    button = nav.get_by_role("button", name="Menu")
    library = nav.get_by_role("link", name="Library")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(library).to_be_hidden()
    header = page.locator(".site-header").bounding_box()
    assert header is not None
    assert header["height"] < 100  # one line, not three

    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(library).to_be_visible()
    assert _violations(page) == []
    nav.get_by_role("link", name="My practice").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My practice")
    expect(button).to_have_attribute("aria-expanded", "false")  # a new page starts closed

    # The keyboard: Enter opens, Tab goes on into the links, Escape closes and returns.
    button.focus()
    page.keyboard.press("Enter")
    expect(library).to_be_visible()
    page.keyboard.press("Tab")
    expect(library).to_be_focused()
    page.keyboard.press("Escape")
    expect(library).to_be_hidden()
    expect(button).to_be_focused()
    expect(button).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Space")
    expect(library).to_be_visible()

    # On a wide screen every link shows and the button goes away.
    page.keyboard.press("Space")
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(button).to_be_hidden()
    expect(library).to_be_visible()


def test_without_script_a_phone_shows_every_link(browser: Browser, live_server) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(live_server.url)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("button", name="Menu")).to_be_hidden()
    for name in ("Library", "Programs", "Find an instructor", "Articles", "Log in"):
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    assert _overflow(page) <= 0
    context.close()
