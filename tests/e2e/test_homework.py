"""Homework consent in a real browser: the instructor invites the member, the member
accepts logs only, the instructor sees a log, the member revokes, and the instructor's
next request for that client is a 404."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from homestretch.accounts.models import User
from homestretch.accounts.testing import PASSWORD, make_alice, make_bob
from homestretch.homework.models import Consent
from homestretch.homework.services import invitation_send
from homestretch.homework.testing import make_teacher
from homestretch.programs.testing import make_log

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _log_in(page: Page, base_url: str, email: str, lands_on: str = "My practice") -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(lands_on)


def test_invite_accept_logs_only_see_a_log_revoke_then_not_found(
    browser: Browser, page: Page, live_server
) -> None:
    bob, alice = make_bob(), make_alice()
    make_teacher(bob)
    make_log(alice, on=alice.local_today(), before=6, after=3, note="Hips felt looser")

    # The instructor, in a browser of their own (their last page is a 404 on purpose).
    teacher = browser.new_context().new_page()
    _log_in(teacher, live_server.url, bob.email)
    teacher.goto(f"{live_server.url}/studio/clients/")
    teacher.get_by_label("Client's email").fill(alice.email)
    teacher.get_by_role("button", name="Send invitation").click()
    expect(teacher.get_by_text(f"Invitation sent to {alice.email}")).to_be_visible()
    match = re.search(r"http://\S+(/me/homework/invitations/\S+/)", str(mail.outbox[-1].body))
    assert match is not None

    # The member logs in and lands on the invitation waiting for her; she accepts,
    # sharing the default: practice logs only.
    _log_in(page, live_server.url, alice.email, lands_on="Share your practice with Bob?")
    expect(page.get_by_label("My practice logs")).to_be_checked()
    expect(page.get_by_label("My self-checks and outcome checks")).not_to_be_checked()
    expect(page.get_by_label("My program progress")).not_to_be_checked()
    page.get_by_role("button", name="Accept and share").click()
    expect(page.get_by_text("You now share with Bob: practice logs.")).to_be_visible()
    consent = Consent.objects.get()
    assert (consent.share_logs, consent.share_checks, consent.share_progress) == (
        True,
        False,
        False,
    )

    # The instructor sees the client, and the log.
    teacher.goto(f"{live_server.url}/studio/clients/")
    teacher.get_by_role("link", name="Alice").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Alice")
    expect(teacher.get_by_role("cell", name="Hips felt looser")).to_be_visible()
    expect(teacher.get_by_text("Alice does not share their self-checks")).to_be_visible()
    client_url = teacher.url

    # The member stops sharing from /me/.
    page.goto(f"{live_server.url}/me/")
    page.get_by_role("button", name="Stop sharing with Bob").click()
    expect(page.get_by_text("You stopped sharing with Bob")).to_be_visible()

    # The instructor's very next request for the client says that sharing ended.
    response = teacher.goto(client_url)
    assert response is not None
    assert response.status == 410
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Alice stopped sharing with you")
    expect(teacher.get_by_text("Hips felt looser")).to_have_count(0)
    teacher.context.close()


def test_a_new_person_follows_the_invite_through_sign_up_to_the_consent_page(
    browser: Browser, live_server
) -> None:
    """The invitation survives sign-up and email confirmation: the address is filled in,
    the time zone comes from the browser, and logging in lands on the consent page."""
    bob = make_bob()
    invitation_send(instructor=make_teacher(bob), email="dana@example.com")
    body = str(mail.outbox[-1].body)
    invite = re.search(r"http://\S+(/me/homework/invitations/\S+/)", body)
    assert invite is not None

    context = browser.new_context(timezone_id="Europe/Berlin")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(live_server.url + invite.group(1))
    expect(page.get_by_role("heading", level=1)).to_have_text("An invitation from Bob")
    page.get_by_role("link", name="Sign up with dana@example.com").click()
    expect(page.get_by_label("Email")).to_have_value("dana@example.com")
    page.get_by_label("Password", exact=True).fill("walk-the-hills-slowly-42")
    page.get_by_label("Password (again)").fill("walk-the-hills-slowly-42")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert User.objects.get(email="dana@example.com").timezone == "Europe/Berlin"

    confirm = re.search(r"http://\S+(/accounts/confirm-email/\S+/)", str(mail.outbox[-1].body))
    assert confirm is not None
    page.goto(live_server.url + confirm.group(1))
    page.get_by_role("button", name="Confirm").click()
    page.get_by_label("Email").fill("dana@example.com")
    page.get_by_label("Password", exact=True).fill("walk-the-hills-slowly-42")
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Share your practice with Bob?")
    page.get_by_label("Your name, as your instructor sees it").fill("Dana")
    page.get_by_role("button", name="Accept and share").click()
    expect(page.get_by_text("You now share with Bob: practice logs.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("My practice")
    assert Consent.objects.get().client_name == "Dana"
    context.close()
    assert problems == []
