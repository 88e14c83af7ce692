"""A custom sequence in a real browser: three moves from two really encoded sequences,
stitched into one stream that hls.js plays across the join, starting each move at its
chapter (inside a segment), with the moves as chapters and the cue card following; and the
whole journey of issue #15 through the pages: build, assign, play across the join, log."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files import File
from django.utils import timezone
from playwright.sync_api import Page, expect

from homestretch.accounts.testing import make_alice, make_bob
from homestretch.billing.testing import give_access
from homestretch.custom.models import CustomSequence
from homestretch.custom.testing import item, make_custom
from homestretch.homework.models import Assignment
from homestretch.homework.testing import make_consent, make_teacher
from homestretch.library import media
from homestretch.library.models import Encoding, Sequence
from homestretch.library.services import encoding_run
from homestretch.programs.models import PracticeLog
from tests.e2e.helpers import log_in, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.ffmpeg]


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("custom")
    made = []
    for name, tone in (("first", 440), ("second", 660)):
        path = folder / f"{name}.mp4"
        media.make_test_video(path, title=name, seconds=12, height=360, tone_hz=tone)
        made.append(path)
    return made[0], made[1]


def _encoded(clip: Path, slug: str, chapters: tuple[tuple[int, str], ...]) -> Sequence:
    sequence = Sequence.objects.create(
        title=slug.replace("-", " ").title(),
        slug=slug,
        status=Sequence.Status.PUBLISHED,
        publish_at=timezone.now() - timedelta(days=1),
    )
    with clip.open("rb") as f:
        sequence.source.save(f"{slug}.mp4", File(f))
    encoding = Encoding.objects.create(sequence=sequence)
    assert encoding_run(encoding_id=encoding.pk).state == Encoding.State.READY
    for start, title in chapters:
        sequence.chapters.create(title=title, start_seconds=start)
    sequence.refresh_from_db()
    return sequence


def _time(page: Page) -> float:
    return float(page.evaluate("document.querySelector('video').currentTime"))


def test_a_client_plays_a_custom_sequence_across_the_join(
    page: Page, live_server, clips: tuple[Path, Path]
) -> None:
    first = _encoded(clips[0], "knee-sways", ((0, "Arrive"), (5, "Knee sways"), (9, "Rest")))
    second = _encoded(clips[1], "bridges", ((0, "Arrive"), (2, "Bridge"), (6, "Pelvic clock")))
    bob = make_bob()
    make_teacher(bob)
    version = make_custom(
        bob,
        [
            item(first, 5, reps=6, side="both"),  # 5-9 s: 1 s into its second segment
            item(second, 2, hold_seconds=20, note="Breathe out as you lift"),  # 2-6 s
            item(second, 6, reps=4),  # 6-12 s
        ],
    )
    CustomSequence.objects.filter(pk=version.custom_sequence_id).update(
        status=CustomSequence.Status.PUBLISHED
    )
    alice = make_alice()
    give_access(alice)
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/custom/{version.custom_sequence_id}/")

    moves = page.locator("[data-moves] li")
    expect(moves).to_have_count(3)
    expect(moves.nth(0)).to_contain_text("Knee sways")
    expect(moves.nth(1)).to_contain_text("Bridge")
    expect(moves.nth(2)).to_contain_text("Pelvic clock")
    cue = page.locator("[data-cue-card]")
    expect(cue).to_contain_text("Knee sways")
    expect(cue).to_contain_text("6 reps · both sides")

    # The stream starts at the first move's chapter, 1 s into its first segment.
    wait_until(page, "document.querySelector('video').readyState >= 1")
    assert abs(_time(page) - 1.0) <= 0.5
    page.get_by_role("button", name="Play").click()
    # Move 1 ends 5 s into the stream; its segment's tail is skipped, and move 2 starts
    # at its chapter, 2 s into its own first segment (at 8 s): 10 s in the joined stream.
    wait_until(page, "document.querySelector('video').currentTime > 10.5", timeout=90)
    expect(cue).to_contain_text("Bridge")
    expect(cue).to_contain_text("Breathe out as you lift")
    passed = _time(page)
    wait_until(page, f"document.querySelector('video').currentTime > {passed + 1}", timeout=60)
    assert page.evaluate("document.querySelector('video').videoHeight") > 0

    # Repeat this move goes back to the chapter's start.
    page.get_by_role("button", name="Repeat this move").click()
    wait_until(page, "Math.abs(document.querySelector('video').currentTime - 10) < 1.5")
    expect(cue).to_contain_text("Bridge")
    # A move from the list plays from its chapter.
    moves.nth(2).get_by_role("button").click()
    expect(cue).to_contain_text("Pelvic clock")


def test_the_journey_build_assign_play_across_the_join_and_log(
    page: Page, live_server, clips: tuple[Path, Path]
) -> None:
    """Issue #15, whole: an instructor builds a three-move custom sequence from two library
    sequences on the builder's page and assigns it on the assign page; the client finds it
    under "Homework from …" on /me/, plays it across the join to its end and logs it from
    the page's log prompt; the log names the version assigned."""
    _encoded(clips[0], "knee-sways", ((0, "Arrive"), (5, "Knee sways"), (9, "Rest")))
    _encoded(clips[1], "bridges", ((0, "Arrive"), (2, "Bridge"), (6, "Pelvic clock")))
    bob = make_bob()
    alice = make_alice()
    consent = make_consent(make_teacher(bob), alice)
    give_access(alice)

    # The instructor builds it on the builder's page…
    log_in(page, live_server.url, bob.email)
    page.goto(f"{live_server.url}/studio/sequences/new/")
    page.get_by_label("Title").fill("SI joint rescue")
    page.get_by_role("button", name="Add Knee sways from Knee Sways").click()
    page.get_by_role("button", name="Add Bridge from Bridges").click()
    page.get_by_role("button", name="Add Pelvic clock from Bridges").click()
    rows = page.locator("[data-rows] [data-row]")
    expect(rows).to_have_count(3)
    rows.nth(0).get_by_label("Repetitions").fill("6")
    rows.nth(1).get_by_label("Cue").fill("Breathe out as you lift")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_contain_text("Saved “SI joint rescue”, version 1")

    # …and assigns it from the client's page.
    page.goto(f"{live_server.url}/studio/clients/")
    page.get_by_role("link", name="Alice").click()
    page.get_by_role("link", name="Assign homework").click()
    page.get_by_label("A custom sequence").select_option(label="SI joint rescue (version 1)")
    page.get_by_label("A number of times a week, any days").check()
    page.get_by_role("spinbutton", name="Times a week").fill("3")
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_role("status")).to_contain_text("Homework assigned.")
    expect(page.get_by_text("(custom sequence, version 1)")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in", exact=True)).to_be_visible()

    # The client finds it on /me/ and opens it.
    log_in(page, live_server.url, alice.email)
    page.goto(f"{live_server.url}/me/")
    homework = page.locator("article.homework").filter(
        has=page.get_by_role("heading", name="Homework from")
    )
    homework.get_by_role("link", name="SI joint rescue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("SI joint rescue")
    moves = page.locator("[data-moves] li")
    expect(moves).to_have_count(3)
    expect(moves.nth(0)).to_contain_text("Knee sways")
    expect(moves.nth(1)).to_contain_text("Bridge")
    expect(moves.nth(2)).to_contain_text("Pelvic clock")

    # It plays across the first join (move 2 starts 10 s into the joined stream) and on.
    wait_until(page, "document.querySelector('video').readyState >= 1")
    page.get_by_role("button", name="Play").click()
    cue = page.locator("[data-cue-card]")
    wait_until(page, "document.querySelector('video').currentTime > 10.5", timeout=90)
    expect(cue).to_contain_text("Breathe out as you lift")
    passed = _time(page)
    wait_until(page, f"document.querySelector('video').currentTime > {passed + 1}", timeout=60)
    # At the last move's end the log prompt opens.
    prompt = page.locator("[data-log-prompt]")
    expect(prompt.get_by_text("Well done. How did it go?")).to_be_visible(timeout=90_000)
    prompt.get_by_label("Pain before").fill("5")
    prompt.get_by_label("Pain after").fill("3")
    prompt.get_by_role("button", name="Save to my log").click()
    expect(prompt.locator("[data-log-status]")).to_have_text("Logged: pain 5 → 3.")

    log = PracticeLog.objects.get(user=alice)
    version = CustomSequence.objects.get(owner=bob).versions.get()
    assert log.custom_version == version
    assert log.sequence is None
    assert (log.done, log.pain_before, log.pain_after) == (True, 5, 3)
    assert Assignment.objects.get(consent=consent).custom_version == version
