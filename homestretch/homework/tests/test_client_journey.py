"""What a client of an instructor meets: the invitation carried through sign-up and login,
the name their instructor sees (never their email), what adherence counts, which
sequences they can open, and the email when new homework is assigned."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import resolve, reverse

from homestretch.accounts.models import User
from homestretch.accounts.testing import PASSWORD, log_in, make_alice, make_bob, make_user
from homestretch.billing.testing import give_access
from homestretch.homework import services
from homestretch.homework.digest import digests_send
from homestretch.homework.models import AlertDigest, Consent, Invitation
from homestretch.homework.testing import make_assignment, make_consent, make_teacher
from homestretch.homework.tokens import read_token
from homestretch.library.testing import make_sequence
from homestretch.programs.testing import make_logs

pytestmark = pytest.mark.django_db


def _invite(email: str = "dana@example.com") -> tuple[User, Invitation]:
    bob = make_bob()
    invitation = services.invitation_send(instructor=make_teacher(bob), email=email)
    return bob, invitation


def test_the_signup_link_in_the_invitation_fills_in_the_address(
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _invite()
    body = str(mail.outbox[-1].body)
    signup = re.search(r"http://\S+/accounts/signup/\S+", body)
    assert signup is not None
    path = signup.group(0).split("8000", 1)[1]
    page = Client().get(path).content.decode()
    assert 'value="dana@example.com"' in page


def test_after_confirming_and_logging_in_a_new_client_lands_on_the_consent_page() -> None:
    _, invitation = _invite()
    make_user("dana@example.com")  # signed up and confirmed, as allauth leaves them
    client = Client()
    response = client.post("/accounts/login/", {"login": "dana@example.com", "password": PASSWORD})
    assert response.status_code == 302
    # The link's token is signed with the second it was made (a second may have passed
    # since): what it carries is compared, not its text.
    token = resolve(response["Location"]).kwargs["token"]
    assert response["Location"] == reverse("homework:invitation", args=[token])
    assert read_token(token) == invitation
    page = client.get(response["Location"]).content.decode()
    assert "Share your practice with Bob?" in page


def test_an_explicit_next_still_wins_and_the_invitation_waits_on_me() -> None:
    _invite()
    make_user("dana@example.com")
    client = Client()
    response = client.post(
        "/accounts/login/?next=/library/", {"login": "dana@example.com", "password": PASSWORD}
    )
    assert response["Location"] == "/library/"
    me = client.get("/me/").content.decode()
    assert "Answer Bob\u2019s invitation" in me
    assert "Nobody yet: answer the invitation above" in me


def test_an_answered_invitation_no_longer_waits() -> None:
    _, invitation = _invite()
    dana = make_user("dana@example.com")
    services.invitation_decline(invitation=invitation, user=dana)
    client = Client()
    response = client.post("/accounts/login/", {"login": dana.email, "password": PASSWORD})
    assert response["Location"] == "/me/"
    assert "invites you to share" not in client.get("/me/").content.decode()


def test_the_consent_page_asks_the_name_the_instructor_sees() -> None:
    _, invitation = _invite()
    dana = make_user("dana@example.com")
    client = log_in(dana)
    url = services.invitation_url(invitation)
    refused = client.post(url, {"action": "accept", "display_name": "dana@example.com"})
    assert refused.status_code == 400
    assert "not an email address" in refused.content.decode()
    client.post(url, {"action": "accept", "display_name": "Dana K", "share_logs": "on"})
    dana.refresh_from_db()
    assert dana.display_name == "Dana K"
    assert Consent.objects.get().client_name == "Dana K"


def test_a_client_without_a_name_is_never_shown_by_their_email(
    django_capture_on_commit_callbacks,
) -> None:
    bob = make_bob()
    instructor = make_teacher(bob)
    quiet = make_user("secret.person@example.com")
    consent = make_consent(instructor, quiet)
    today = quiet.local_today()
    make_logs(quiet, [(8, 8)], end=today)  # pain 8: an alert for the digest
    AlertDigest.objects.create(instructor=instructor, is_enabled=True)
    teacher = log_in(bob)
    neutral = f"Client {consent.pk}"
    pages = [
        teacher.get("/studio/clients/").content.decode(),
        teacher.get(f"/studio/clients/{consent.pk}/").content.decode(),
        teacher.get(f"/studio/clients/{consent.pk}/assign/").content.decode(),
        teacher.get("/studio/clients/history/").content.decode(),
        teacher.get("/api/studio/clients").content.decode(),
    ]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        digests_send()
    pages.append(str(mail.outbox[-1].body))
    for text in pages:
        assert "secret.person" not in text
        assert neutral in text


def test_adherence_says_it_counts_homework_and_shows_practice_beside_it() -> None:
    """A member who practised 9 of the last 10 days, once on homework of 3 sessions."""
    bob, alice = make_bob(), make_alice()
    consent = make_consent(make_teacher(bob), alice)
    today = alice.local_today()
    homework = make_sequence("homework-one")
    make_assignment(
        consent,
        sequences=[homework],
        times_per_week=7,
        starts_on=today - timedelta(days=3),
        ends_on=today + timedelta(days=10),
    )
    # Program practice on 9 of the last 10 days (today is not logged), homework once.
    make_logs(alice, [(5, 4)] * 9 + [None], end=today)
    make_logs(alice, [(5, 3)], end=today - timedelta(days=1), sequence=homework)
    page = log_in(bob).get("/studio/clients/").content.decode()
    assert "33% (1 of 3 homework sessions)" in page
    assert "9 of 14 days" in page
    assert "program practice and other sequences do not count there" in page
    client_page = log_in(bob).get(f"/studio/clients/{consent.pk}/").content.decode()
    assert "practised on 9 of 14 days" in client_page
    assert log_in(bob).get("/api/studio/clients").json()["items"][0]["practised_days"] == 9
    me = log_in(alice).get("/me/").content.decode()
    assert "33% of your homework sessions done" in me
    assert "you practised on 9 of 14 days in all" in me


@pytest.mark.parametrize(
    ("rules", "access", "words"),
    [
        ([], False, "needs a subscription: they cannot play it yet"),
        (["homestretch.homework.access.plays_as_homework"], False, "plays for them as homework"),
        ([], True, "in their library access"),
    ],
)
def test_the_assign_form_shows_which_sequences_the_client_can_open(
    rules: list[str], access: bool, words: str
) -> None:
    bob, alice = make_bob(), make_alice()
    consent = make_consent(make_teacher(bob), alice)
    if access:
        give_access(alice)
    make_sequence("paid-one")
    make_sequence("free-one", is_free_preview=True)
    with override_settings(LIBRARY_PLAY_RULES=rules):
        page = log_in(bob).get(f"/studio/clients/{consent.pk}/assign/").content.decode()
    assert f"Paid One ({words})" in page
    assert "Free One (free preview: plays for everyone)" in page


def test_the_client_is_emailed_new_homework_unless_they_opt_out(
    django_capture_on_commit_callbacks,
) -> None:
    bob, alice = make_bob(), make_alice()
    consent = make_consent(make_teacher(bob), alice)
    sequence = make_sequence("hip-circles")
    today = alice.local_today()
    form = {
        "sequences": [sequence.pk],
        "schedule": "per_week",
        "times_per_week": "3",
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=13)).isoformat(),
        "note": "Slowly, please.",
    }
    teacher = log_in(bob)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert teacher.post(f"/studio/clients/{consent.pk}/assign/", form).status_code == 302
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["alice@example.com"]
    assert sent.subject == "[Homestretch] New homework from Bob"
    assert "Hip Circles" in str(sent.body)
    assert "Slowly, please." in str(sent.body)
    assert "/me/#homework" in str(sent.body)

    # The opt-out on /me/: only the client can set it.
    assert teacher.post(f"/me/homework/consents/{consent.pk}/emails/", {}).status_code == 404
    member = log_in(alice)
    assert 'name="email_homework"' in member.get("/me/").content.decode()
    member.post(f"/me/homework/consents/{consent.pk}/emails/", {})
    consent.refresh_from_db()
    assert not consent.email_homework
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert teacher.post(f"/studio/clients/{consent.pk}/assign/", form).status_code == 302
    assert mail.outbox == []
