import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.test import Client, TestCase
from freezegun import freeze_time

from homestretch.accounts.testing import log_in, make_alice, make_bob, make_charlie
from homestretch.homework.models import Consent, ConsentEvent, Invitation
from homestretch.homework.testing import make_teacher
from homestretch.homework.tokens import SALT

LINK = re.compile(r"http://\S+/me/homework/invitations/(\S+)/")


def _invite(client: Client, email: str) -> str:
    """Send an invitation from the dashboard; return the path of the link it emailed."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/studio/clients/invite/", {"email": email})
    assert response.status_code == 302, response.content
    match = LINK.search(str(mail.outbox[-1].body))
    assert match is not None
    return f"/me/homework/invitations/{match.group(1)}/"


@pytest.mark.django_db
def test_an_instructor_invites_a_member_who_accepts_logs_only_by_default() -> None:
    bob, alice = make_bob(), make_alice()
    make_teacher(bob)
    link = _invite(log_in(bob), "Alice@Example.com")
    assert mail.outbox[-1].to == ["alice@example.com"]
    assert "Nothing is shared until you accept" in mail.outbox[-1].body
    assert Consent.objects.count() == 0  # nothing shared before accepting

    member = log_in(alice)
    page = member.get(link)
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    text = page.content.decode()
    for what in ("My practice logs", "My self-checks and outcome checks", "My program progress"):
        assert what in text
    assert re.search(r'name="share_logs"[^>]*checked', text)
    assert not re.search(r'name="share_checks"[^>]*checked', text)

    response = member.post(link, {"action": "accept", "share_logs": "on"})
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert (consent.client, consent.instructor.user) == (alice, bob)
    assert (consent.share_logs, consent.share_checks, consent.share_progress) == (
        True,
        False,
        False,
    )
    assert list(consent.events.values_list("kind", flat=True)) == ["granted"]
    assert Invitation.objects.get().state == Invitation.State.ACCEPTED


@pytest.mark.django_db
def test_an_unknown_email_gets_a_sign_up_invitation_that_leads_back() -> None:
    bob = make_bob()
    make_teacher(bob)
    link = _invite(log_in(bob), "newcomer@example.org")
    body = mail.outbox[-1].body
    assert "Create one" in body
    assert "/accounts/signup/?next=%2Fme%2Fhomework%2Finvitations%2F" in body

    visitor = Client().get(link)
    assert visitor.status_code == 200
    assert "Sign in to see exactly what would be shared" in visitor.content.decode()
    assert Consent.objects.count() == 0


@pytest.mark.django_db
def test_a_reused_link_is_refused_with_a_clear_page() -> None:
    bob, alice = make_bob(), make_alice()
    make_teacher(bob)
    link = _invite(log_in(bob), alice.email)
    member = log_in(alice)
    assert member.post(link, {"action": "accept", "share_logs": "on"}).status_code == 302

    again = member.post(link, {"action": "accept", "share_checks": "on"})
    assert again.status_code == 410
    assert "already been answered" in again.content.decode()
    assert Consent.objects.get().share_checks is False


@pytest.mark.django_db
def test_an_expired_link_is_refused_with_a_clear_page() -> None:
    bob, alice = make_bob(), make_alice()
    make_teacher(bob)
    with freeze_time(timezone_now_minus(days=15)):
        link = _invite(log_in(bob), alice.email)
    response = log_in(alice).get(link)
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert Consent.objects.count() == 0


def timezone_now_minus(*, days: int) -> str:
    from django.utils import timezone

    return (timezone.now() - timedelta(days=days)).isoformat()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-3] + ("abc" if not token.endswith("abc") else "xyz"),
        lambda token: "not-a-token",
        # A genuine signature over another invitation's id with a made-up nonce.
        lambda token: signing.dumps([1, "guessed-nonce"], salt=SALT),
        # Signed with the wrong key, as a forger would.
        lambda token: signing.dumps([1, "x"], salt=SALT, key="not-the-site-key"),
    ],
)
def test_a_forged_link_is_refused_with_a_clear_page(mangle) -> None:
    bob, alice = make_bob(), make_alice()
    make_teacher(bob)
    link = _invite(log_in(bob), alice.email)
    token = link.rstrip("/").rsplit("/", 1)[1]
    response = log_in(alice).get(f"/me/homework/invitations/{mangle(token)}/")
    assert response.status_code == 400
    assert "not valid" in response.content.decode()


@pytest.mark.django_db
def test_only_the_invited_address_may_accept() -> None:
    bob, alice, charlie = make_bob(), make_alice(), make_charlie()
    make_teacher(bob)
    link = _invite(log_in(bob), alice.email)
    other = log_in(charlie)
    assert other.get(link).status_code == 403
    assert other.post(link, {"action": "accept", "share_logs": "on"}).status_code == 403
    assert Consent.objects.count() == 0


@pytest.mark.django_db
def test_declining_shares_nothing_and_uses_the_link() -> None:
    bob, alice = make_bob(), make_alice()
    make_teacher(bob)
    link = _invite(log_in(bob), alice.email)
    member = log_in(alice)
    assert member.post(link, {"action": "decline"}).status_code == 302
    assert Consent.objects.count() == 0
    assert Invitation.objects.get().state == Invitation.State.DECLINED
    assert member.get(link).status_code == 410


@pytest.mark.django_db
def test_a_new_invitation_withdraws_the_old_link() -> None:
    bob, alice = make_bob(), make_alice()
    make_teacher(bob)
    teacher = log_in(bob)
    first = _invite(teacher, alice.email)
    second = _invite(teacher, alice.email)
    member = log_in(alice)
    assert member.get(first).status_code == 410
    assert member.get(second).status_code == 200


@pytest.mark.django_db
def test_inviting_is_rate_limited_per_instructor_and_per_address(settings) -> None:
    bob = make_bob()
    make_teacher(bob)
    teacher = log_in(bob)
    for _ in range(3):
        _invite(teacher, "same@example.org")
    response = teacher.post("/studio/clients/invite/", {"email": "same@example.org"})
    assert response.status_code == 429
    assert len(mail.outbox) == 3

    for n in range(6):  # 10 attempts an hour in all, the refused one included
        _invite(teacher, f"p{n}@example.org")
    assert teacher.post("/studio/clients/invite/", {"email": "p9@example.org"}).status_code == 429
    assert len(mail.outbox) == 9


@pytest.mark.django_db
def test_inviting_needs_an_instructor_and_the_csrf_token() -> None:
    alice = make_alice()
    assert Client().post("/studio/clients/invite/", {"email": "x@example.org"}).status_code == 302
    assert (
        log_in(alice).post("/studio/clients/invite/", {"email": "x@example.org"}).status_code == 403
    )
    bob = make_bob()
    make_teacher(bob)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(bob)
    assert strict.post("/studio/clients/invite/", {"email": "x@example.org"}).status_code == 403
    assert mail.outbox == []


@pytest.mark.django_db
def test_one_cannot_invite_oneself_or_a_current_client() -> None:
    bob, alice = make_bob(), make_alice()
    make_teacher(bob)
    teacher = log_in(bob)
    assert teacher.post("/studio/clients/invite/", {"email": bob.email}).status_code == 400
    link = _invite(teacher, alice.email)
    log_in(alice).post(link, {"action": "accept", "share_logs": "on"})
    response = teacher.post("/studio/clients/invite/", {"email": alice.email})
    assert response.status_code == 400
    assert "already shares" in response.content.decode()
    assert ConsentEvent.objects.count() == 1
