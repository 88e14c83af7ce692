"""Staff watch a transcode's progress on the sequence's admin page, without reloading."""

import time

import pytest
from playwright.sync_api import Page, expect

from homestretch.accounts.testing import PASSWORD, make_user
from homestretch.library.models import Encoding
from homestretch.library.testing import make_sequence

pytestmark = pytest.mark.e2e


def _wait_for_text(page: Page, selector: str, text: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while text not in page.locator(selector).inner_text():
        assert time.monotonic() < deadline, page.locator(selector).inner_text()
        page.wait_for_timeout(200)


def test_progress_and_eta_update_in_place(page: Page, live_server, settings) -> None:
    settings.STAFF_REQUIRE_2FA = False  # this test is about the admin page, not the login
    make_user("sam@example.com", is_staff=True, is_superuser=True)
    sequence = make_sequence("pelvic-clock")
    encoding = Encoding.objects.create(
        sequence=sequence, state=Encoding.State.RUNNING, progress=0.25, eta_seconds=90
    )
    page.goto(f"{live_server.url}/admin/library/sequence/{sequence.pk}/change/")
    page.get_by_label("Email").fill("sam@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("[data-encoding-status] [data-label]")).to_contain_text("25%")
    page.evaluate("window.beforeUpdate = 'same page'")

    Encoding.objects.filter(pk=encoding.pk).update(progress=0.6, eta_seconds=40)
    _wait_for_text(page, "[data-encoding-status] [data-label]", "60%, about 40 s left")
    Encoding.objects.filter(pk=encoding.pk).update(state="failed", error="ffmpeg: broken input")
    _wait_for_text(page, "[data-encoding-status] [data-label]", "Failed")
    expect(page.locator("[data-encoding-status] [data-error]")).to_have_text("ffmpeg: broken input")
    assert page.evaluate("window.beforeUpdate") == "same page"


def test_the_instructor_field_is_a_search_over_instructors(
    page: Page, live_server, settings
) -> None:
    from homestretch.accounts.models import Role

    settings.STAFF_REQUIRE_2FA = False
    make_user("sam@example.com", is_staff=True, is_superuser=True)
    make_user("alice@example.com", display_name="Alice Member")
    lena = make_user("lena@example.com", display_name="Lena Berg", roles=(Role.INSTRUCTOR,))
    make_user("leo@example.com", display_name="Leo Stark", roles=(Role.INSTRUCTOR,))
    sequence = make_sequence("pelvic-clock")
    page.goto(f"{live_server.url}/admin/library/sequence/{sequence.pk}/change/")
    page.get_by_label("Email").fill("sam@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.locator(".field-instructor .select2-selection").click()
    search = page.locator(".select2-search__field")
    options = page.locator(".select2-results__option")
    expect(options).to_have_text(["lena@example.com", "leo@example.com"])
    search.fill("berg")
    expect(options).to_have_text(["lena@example.com"])
    search.fill("alice")
    expect(options).to_have_text(["No results found"])
    search.fill("lena")
    options.filter(has_text="lena@example.com").click()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    sequence.refresh_from_db()
    assert sequence.instructor == lena
