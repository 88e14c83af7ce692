"""Playback in a real browser: hls.js, signed URLs, the paywall and resuming."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from homestretch.accounts.testing import make_alice
from homestretch.billing.models import AccessGrant
from homestretch.library import media
from homestretch.library.models import WatchProgress
from tests.e2e.helpers import log_in, make_playable, wait_until

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("e2e") / "clip.mp4"
    media.make_test_video(path, title="Playback", seconds=12, height=360)
    return path


def _current_time(page: Page) -> float:
    return float(page.evaluate("document.querySelector('video').currentTime"))


def test_a_member_with_access_plays_and_resumes(page: Page, live_server, clip: Path) -> None:
    alice = make_alice()
    AccessGrant.objects.create(user=alice, ends_at=timezone.now() + timedelta(days=9), reason="t")
    make_playable(clip, "pelvic-clock")
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/library/pelvic-clock/")

    page.get_by_role("button", name="Play").click()
    wait_until(page, "document.querySelector('video').currentTime > 3")
    assert page.evaluate("document.querySelector('video').videoHeight") > 0
    assert page.locator("[data-quality] option").count() >= 2  # Auto + the rendition
    page.get_by_role("button", name="Pause").click()
    stopped_at = _current_time(page)
    wait_until(
        page,
        f"fetch('/api/library/sequences/pelvic-clock/progress').then(r => r.json())"
        f".then(d => d.position >= {stopped_at - 1})",
    )
    assert WatchProgress.objects.get(user=alice).position_seconds == pytest.approx(
        stopped_at, abs=1
    )

    page.reload()
    wait_until(page, "document.querySelector('video').readyState >= 1")
    assert abs(_current_time(page) - stopped_at) < 5

    page.get_by_label("Captions").select_option("en")
    wait_until(page, "document.querySelector('video').textTracks[0].cues?.length === 1")
    assert page.evaluate("document.querySelector('video').textTracks[0].mode") == "showing"
    page.get_by_label("Speed").select_option("1.5")
    assert page.evaluate("document.querySelector('video').playbackRate") == 1.5

    page.get_by_role("button", name="0:06 Second half").click()
    wait_until(page, "document.querySelector('video').currentTime >= 6")


def test_a_visitor_meets_the_paywall_and_can_play_a_preview(
    page: Page, live_server, clip: Path
) -> None:
    make_playable(clip, "members-only")
    make_playable(clip, "free-taster", free=True)
    page.goto(f"{live_server.url}/library/members-only/")
    expect(
        page.get_by_role("heading", name="This sequence is part of the full library")
    ).to_be_visible()
    assert page.locator("video").count() == 0
    assert "/media/" not in page.content()

    page.goto(f"{live_server.url}/library/free-taster/")
    page.get_by_role("button", name="Play").click()
    wait_until(page, "document.querySelector('video').currentTime > 1")
