"""The player's own controls in a real browser: shortcuts, volume, picture-in-picture,
the Media Session, remembered choices, and which engine plays the stream."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from homestretch.accounts.testing import make_alice
from homestretch.billing.models import AccessGrant
from homestretch.library import media
from homestretch.library.models import PlayerPreference
from tests.e2e.helpers import log_in, make_playable, wait_until

pytestmark = pytest.mark.e2e

VIDEO = "document.querySelector('video')"


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("e2e") / "clip.mp4"
    media.make_test_video(path, title="Player", seconds=16, height=360)
    return path


def _member_watching(page: Page, live_server, clip: Path, slug: str = "pelvic-clock") -> None:
    alice = make_alice()
    AccessGrant.objects.create(user=alice, ends_at=timezone.now() + timedelta(days=9), reason="t")
    make_playable(clip, slug)
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/library/{slug}/")
    wait_until(page, f"{VIDEO}.readyState >= 1")


def _announced(page: Page, text: str) -> None:
    expect(page.locator("[data-announce]")).to_have_text(text)


def test_keyboard_shortcuts_change_the_player_and_are_announced(
    page: Page, live_server, clip: Path
) -> None:
    _member_watching(page, live_server, clip)
    assert page.get_attribute("[data-player]", "data-engine") == "hls.js"
    page.locator("[data-player]").focus()

    page.keyboard.press("k")
    wait_until(page, f"!{VIDEO}.paused && {VIDEO}.currentTime > 0.5")
    page.keyboard.press(" ")
    wait_until(page, f"{VIDEO}.paused")
    _announced(page, "Paused")

    before = float(page.evaluate(f"{VIDEO}.currentTime"))
    page.keyboard.press("l")
    _announced(page, f"Forward 10 seconds, at 0:{int(before + 10):02d}")
    assert float(page.evaluate(f"{VIDEO}.currentTime")) == pytest.approx(before + 10, abs=0.01)
    page.keyboard.press("ArrowLeft")
    assert float(page.evaluate(f"{VIDEO}.currentTime")) == pytest.approx(before + 5, abs=0.01)
    page.keyboard.press("j")
    assert float(page.evaluate(f"{VIDEO}.currentTime")) == pytest.approx(
        max(0, before - 5), abs=0.01
    )

    page.keyboard.press("m")
    _announced(page, "Muted")
    assert page.evaluate(f"{VIDEO}.muted") is True
    expect(page.get_by_role("button", name="Unmute")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("m")
    page.keyboard.press("ArrowDown")
    _announced(page, "Volume 90%")
    assert page.evaluate(f"{VIDEO}.volume") == pytest.approx(0.9)
    page.get_by_label("Volume").fill("0.3")
    assert page.evaluate(f"{VIDEO}.volume") == pytest.approx(0.3)

    page.locator("[data-player]").focus()
    page.keyboard.press(">")
    _announced(page, "Speed 1.25\u00d7")
    assert page.evaluate(f"{VIDEO}.playbackRate") == 1.25
    page.keyboard.press("<")
    page.keyboard.press("<")
    _announced(page, "Speed 0.75\u00d7")

    page.keyboard.press("c")
    _announced(page, "Captions English")
    assert page.evaluate(f"{VIDEO}.textTracks[0].mode") == "showing"
    expect(page.get_by_label("Captions")).to_have_value("en")
    page.keyboard.press("c")
    _announced(page, "Captions off")
    assert page.evaluate(f"{VIDEO}.textTracks[0].mode") == "disabled"

    page.keyboard.press("f")
    wait_until(page, "document.fullscreenElement === document.querySelector('[data-player]')")
    _announced(page, "Full screen")
    page.keyboard.press("f")
    wait_until(page, "document.fullscreenElement === null")

    # A shortcut never steals a key from a field: typing in the page's search stays typing.
    page.get_by_label("Speed").focus()
    page.keyboard.press("k")
    assert page.evaluate(f"{VIDEO}.paused") is True


def test_picture_in_picture_and_the_lock_screen(page: Page, live_server, clip: Path) -> None:
    _member_watching(page, live_server, clip)
    pip = page.locator("[data-pip]")
    if page.evaluate("document.pictureInPictureEnabled"):
        expect(pip).to_be_visible()
        pip.click()
        wait_until(page, "document.pictureInPictureElement === document.querySelector('video')")
        _announced(page, "Picture in picture")
        pip.click()
        wait_until(page, "document.pictureInPictureElement === null")
    else:
        expect(pip).to_be_hidden()
    # Neither AirPlay (Safari) nor casting (the Remote Playback API refuses an MSE stream)
    # is offered by headless Chromium: their buttons stay out of the way.
    expect(page.locator("[data-airplay]")).to_be_hidden()
    expect(page.locator("[data-remote]")).to_be_hidden()

    assert page.evaluate("navigator.mediaSession.metadata.title") == "Pelvic Clock"
    artwork = page.evaluate("navigator.mediaSession.metadata.artwork[0].src")
    assert artwork == f"{live_server.url}/library/pelvic-clock/poster.jpg"
    assert page.request.get(artwork).headers["content-type"] == "image/jpeg"
    page.get_by_role("button", name="Play").click()
    wait_until(page, "navigator.mediaSession.playbackState === 'playing'")


def test_a_members_speed_and_captions_follow_them_to_another_device(
    page: Page, browser: Browser, live_server, clip: Path
) -> None:
    _member_watching(page, live_server, clip)
    page.get_by_label("Speed").select_option("1.5")
    page.get_by_label("Captions").select_option("en")
    # Each choice is saved as it is made: wait for the save that carries both.
    wait_until(
        page,
        "(document.querySelector('[data-player]').dataset.savedChoices || '')"
        '.includes(\'"captions":"en"\')',
    )
    preference = PlayerPreference.objects.get(user__email="alice@example.com")
    assert (preference.speed, preference.captions) == (1.5, "en")

    phone = browser.new_context().new_page()
    log_in(phone, live_server.url)
    phone.goto(f"{live_server.url}/library/pelvic-clock/")
    expect(phone.get_by_label("Speed")).to_have_value("1.5")
    expect(phone.get_by_label("Captions")).to_have_value("en")
    wait_until(phone, f"{VIDEO}.readyState >= 1 && {VIDEO}.playbackRate === 1.5")
    wait_until(phone, f"{VIDEO}.textTracks[0].mode === 'showing'")
    phone.context.close()


def test_a_visitors_speed_is_remembered_in_their_browser(
    page: Page, live_server, clip: Path
) -> None:
    make_playable(clip, "free-taster", free=True)
    page.goto(f"{live_server.url}/library/free-taster/")
    page.get_by_label("Speed").select_option("0.75")
    page.reload()
    expect(page.get_by_label("Speed")).to_have_value("0.75")
    wait_until(page, f"{VIDEO}.readyState >= 1 && {VIDEO}.playbackRate === 0.75")
    assert not PlayerPreference.objects.exists()


# Without MSE hls.js says it is unsupported; the page then hands the playlist to the
# browser when it plays HLS itself (Safari), and says so plainly when it plays neither.
# Chromium plays no native HLS, so the tests pretend on both counts.
NO_MSE = "Object.defineProperty(window, 'Hls', { configurable: true, set(v) { v.isSupported = () => false; this._hls = v; }, get() { return this._hls; } });"  # noqa: E501
NATIVE_HLS = "HTMLMediaElement.prototype.canPlayType = (type) => type === 'application/vnd.apple.mpegurl' ? 'maybe' : '';"  # noqa: E501
NO_HLS = "HTMLMediaElement.prototype.canPlayType = () => '';"


def test_safaris_own_hls_gets_the_playlist_where_mse_is_missing(
    page: Page, live_server, clip: Path
) -> None:
    make_playable(clip, "free-taster", free=True)
    page.add_init_script(NO_MSE)
    page.add_init_script(NATIVE_HLS)
    page.goto(f"{live_server.url}/library/free-taster/")
    wait_until(page, "document.querySelector('[data-player]').dataset.engine === 'native'")
    master = page.get_attribute("[data-player]", "data-master")
    assert page.evaluate(f"{VIDEO}.src") == f"{live_server.url}{master}"
    expect(page.get_by_label("Quality")).to_be_hidden()
    expect(page.get_by_label("Speed")).to_be_visible()


def test_a_browser_with_neither_says_so(page: Page, live_server, clip: Path) -> None:
    make_playable(clip, "free-taster", free=True)
    page.add_init_script(NO_MSE)
    page.add_init_script(NO_HLS)
    page.goto(f"{live_server.url}/library/free-taster/")
    expect(page.get_by_role("status")).to_have_text(
        "This browser cannot play this video. Please try an up-to-date browser such as "
        "Firefox, Chrome or Safari."
    )
    assert page.get_attribute("[data-player]", "data-engine") == "none"
    expect(page.locator(".controls")).to_be_hidden()
