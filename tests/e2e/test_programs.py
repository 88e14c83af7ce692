"""A new member starts a program through the safety self-check, practises day 1 and logs
it; another member answers a red flag and is stopped."""

from pathlib import Path

import pytest
from django.core.files import File
from playwright.sync_api import Page, expect

from homestretch.accounts.testing import make_alice, make_charlie
from homestretch.billing.testing import give_access
from homestretch.library import media
from homestretch.library.models import Encoding, Sequence
from homestretch.library.services import encoding_run
from homestretch.programs.models import Enrollment, PracticeLog
from homestretch.programs.safety import active_red_flags
from homestretch.programs.testing import make_program
from tests.e2e.helpers import log_in, wait_until

pytestmark = pytest.mark.e2e


def _answer_red_flags(page: Page, yes: str = "") -> None:
    for flag in active_red_flags():
        group = page.get_by_role("group", name=flag.question)
        answer = "Yes" if yes and yes in flag.question else "No"
        group.get_by_label(answer, exact=True).check()


def test_a_new_member_self_checks_enrolls_plays_day_1_and_logs_it(
    page: Page, live_server, tmp_path: Path
) -> None:
    clip = tmp_path / "clip.mp4"
    media.make_test_video(clip, title="Day one", seconds=6, height=360)
    sequence = Sequence.objects.create(
        title="Pelvic clock", slug="pelvic-clock", status=Sequence.Status.PUBLISHED
    )
    with clip.open("rb") as f:
        sequence.source.save("pelvic-clock.mp4", File(f))
    encoding = Encoding.objects.create(sequence=sequence)
    assert encoding_run(encoding_id=encoding.pk).state == Encoding.State.READY
    make_program(days=14, sequences=[sequence])
    alice = make_alice()
    give_access(alice)

    log_in(page, live_server.url, "alice@example.com")
    page.goto(f"{live_server.url}/programs/si-stability/")
    page.get_by_role("link", name="Start with the self-check").click()
    _answer_red_flags(page)
    page.get_by_label("One side of the low back or buttock").check()
    page.get_by_label("Pain right now").fill("6")
    page.get_by_label("Average pain over the last week").fill("6")
    page.get_by_label("Activity 1", exact=True).fill("Sitting through a film")
    page.get_by_label("How well can you do activity 1?").fill("4")
    page.get_by_role("button", name="Check and start").click()

    expect(page.get_by_text("may be consistent with the sacroiliac joint")).to_be_visible()
    expect(page.get_by_text("Day 1 of 14")).to_be_visible()
    page.get_by_role("link", name="Go to day 1").click()
    page.get_by_role("link", name="Play the sequence").click()
    page.get_by_role("button", name="Play").click()
    wait_until(page, "document.querySelector('video').currentTime > 1")
    page.evaluate("(v => { v.currentTime = v.duration - 0.3; })(document.querySelector('video'))")
    expect(page.get_by_text("Well done. How did it go?")).to_be_visible(timeout=60_000)

    page.get_by_label("Pain before").fill("6")
    page.get_by_label("Pain after").fill("4")
    page.get_by_label("How was it?").select_option("ok")
    page.get_by_role("button", name="Save to my log").click()
    expect(page.get_by_text("Logged: pain 6 → 4.")).to_be_visible()
    log = PracticeLog.objects.get(user=alice)
    assert (log.pain_before, log.pain_after, log.program_day) == (6, 4, 1)
    assert log.enrollment == Enrollment.objects.get(user=alice)

    page.goto(f"{live_server.url}/programs/si-stability/")
    # By calendar, day 2 opens tomorrow; day 1 now shows as logged.
    expect(page.get_by_text("Day 1 of 14")).to_be_visible()
    expect(page.locator(".program-day").first).to_contain_text("logged")
    page.goto(f"{live_server.url}/me/progress/")
    # The pain trend and the practice calendar; outcomes get a chart from the first check-in.
    wait_until(page, "document.querySelectorAll('[data-chart-ready]').length === 2")
    drawn = page.locator("canvas[data-chart=pain]").evaluate(
        "el => window.Chart.getChart(el).data.datasets.map(set => set.data)"
    )
    assert drawn == [[6], [4]]


def test_a_red_flag_stands_until_the_member_states_a_clinician_saw_them(
    page: Page, live_server
) -> None:
    """Red flag → stop page → retaking is refused (urgent advice first) → the clinician
    statement → the self-check again → started."""
    make_program(days=7)
    charlie = make_charlie()
    give_access(charlie)

    log_in(page, live_server.url, "charlie@example.com")
    page.goto(f"{live_server.url}/programs/si-stability/start/")
    _answer_red_flags(page, yes="saddle")
    page.get_by_role("button", name="Check and start").click()

    expect(page.get_by_role("heading", name="Please get medical help now")).to_be_visible()
    expect(page.get_by_text("numbness or tingling around your genitals")).to_be_visible()
    assert not Enrollment.objects.filter(user=charlie).exists()
    page.goto(f"{live_server.url}/programs/si-stability/")
    expect(page.get_by_role("heading", name="Your self-check stopped here")).to_be_visible()

    # Retaking at once: the stop stands, the urgent advice comes first, no questions.
    page.get_by_role("link", name="Start with the self-check").click()
    expect(page.get_by_role("heading", name="Please get medical help first")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("emergency department")
    expect(page.get_by_role("group", name=active_red_flags()[0].question)).to_have_count(0)

    # The statement (its bad dates are refused in test_red_flag_stands.py).
    today = charlie.local_today()
    page.get_by_label("When did the clinician see you?").fill(today.isoformat())
    page.get_by_label("A doctor or physiotherapist has seen me since").check()
    page.get_by_role("button", name="A clinician has seen me").click()
    expect(page.get_by_text("You told us a clinician saw you on")).to_be_visible()

    _answer_red_flags(page)
    page.get_by_label("Pain right now").fill("4")
    page.get_by_label("Average pain over the last week").fill("4")
    page.get_by_label("Activity 1", exact=True).fill("Walking the dog")
    page.get_by_label("How well can you do activity 1?").fill("5")
    page.get_by_role("button", name="Check and start").click()
    expect(page.get_by_text("Day 1 of 7")).to_be_visible()
    expect(page.get_by_text("you told us a clinician saw you on")).to_be_visible()
    assert Enrollment.objects.filter(user=charlie).count() == 1
