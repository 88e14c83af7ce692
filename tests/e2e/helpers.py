import time
from datetime import timedelta
from pathlib import Path

from django.core.files import File
from django.utils import timezone
from playwright.sync_api import Page, expect

from homestretch.accounts.testing import PASSWORD
from homestretch.library.models import Encoding, Sequence
from homestretch.library.services import encoding_run


def wait_until(page: Page, expression: str, timeout: float = 60) -> None:
    """Poll a JavaScript expression with page.evaluate until it is truthy.

    Playwright's wait_for_function evaluates a string, which our CSP (no 'unsafe-eval')
    refuses; page.evaluate goes through the DevTools protocol instead.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        page.wait_for_timeout(100)


def log_in(page: Page, base_url: str, email: str = "alice@example.com") -> None:
    """Sign in through the real form, as a person would, and wait for the page after it."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # Attached, not visible: on a phone the link waits behind the menu button.
    expect(page.get_by_role("link", name="My practice", include_hidden=True)).to_be_attached()


def make_playable(clip: Path, slug: str, *, free: bool = False) -> Sequence:
    """A published sequence encoded from the clip by ffmpeg, with a chapter and captions."""
    sequence = Sequence.objects.create(
        title=slug.replace("-", " ").title(),
        slug=slug,
        status=Sequence.Status.PUBLISHED,
        publish_at=timezone.now() - timedelta(days=1),
        is_free_preview=free,
    )
    with clip.open("rb") as f:
        sequence.source.save(f"{slug}.mp4", File(f))
    encoding = Encoding.objects.create(sequence=sequence)
    assert encoding_run(encoding_id=encoding.pk).state == Encoding.State.READY
    sequence.chapters.create(title="Second half", start_seconds=6)
    sequence.captions.create(
        language="en",
        label="English",
        vtt="WEBVTT\n\n00:00:00.500 --> 00:00:11.000\nBreathe in, and let the knees sway.\n",
    )
    return sequence
