"""A person redeems an access code, then plays a members-only sequence."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files import File
from django.utils import timezone
from playwright.sync_api import Page, expect

from homestretch.accounts.testing import PASSWORD, make_alice
from homestretch.billing.models import AccessCode
from homestretch.library import media
from homestretch.library.models import Encoding, Sequence
from homestretch.library.services import encoding_run
from tests.e2e.helpers import wait_until

pytestmark = pytest.mark.e2e


def test_redeem_a_code_then_play_a_members_only_sequence(
    page: Page, live_server, tmp_path: Path
) -> None:
    clip = tmp_path / "clip.mp4"
    media.make_test_video(clip, title="Members", seconds=8, height=360)
    sequence = Sequence.objects.create(
        title="Members only",
        slug="members-only",
        status=Sequence.Status.PUBLISHED,
        publish_at=timezone.now() - timedelta(days=1),
    )
    with clip.open("rb") as f:
        sequence.source.save("members-only.mp4", File(f))
    encoding = Encoding.objects.create(sequence=sequence)
    assert encoding_run(encoding_id=encoding.pk).state == Encoding.State.READY
    AccessCode.objects.create(
        code="STRETCH30", days=30, max_uses=3, expires_at=timezone.now() + timedelta(days=9)
    )
    make_alice()

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("alice@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/library/members-only/")
    expect(
        page.get_by_role("heading", name="This sequence is part of the full library")
    ).to_be_visible()

    page.get_by_role("link", name="See plans and access codes").click()
    page.get_by_label("Access code", exact=True).fill("stretch 30")
    page.get_by_role("button", name="Redeem code").click()
    expect(page.get_by_text("Code redeemed")).to_be_visible()

    page.goto(f"{live_server.url}/library/members-only/")
    page.get_by_role("button", name="Play").click()
    wait_until(page, "document.querySelector('video').currentTime > 2")
    assert page.evaluate("document.querySelector('video').videoHeight") > 0
