"""Export and delete: the registry of personal data, the JSON download, and the proof that
nothing personal is left after an account is deleted."""

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value
from axes.models import AccessAttempt
from django.apps import apps
from django.conf import settings
from django.core import mail, serializers
from django.test import Client, TestCase
from django.utils import timezone

from homestretch.accounts.models import AppSignIn, User
from homestretch.accounts.testing import PASSWORD, log_in, make_bob, make_user
from homestretch.articles.models import Comment
from homestretch.articles.testing import make_article, make_comment
from homestretch.billing import services as billing
from homestretch.billing.models import AccessCode, CheckoutSession, Customer, Plan, Subscription
from homestretch.billing.tests.conftest import fake_stripe  # noqa: F401 - a fixture
from homestretch.billing.tests.stripe_fakes import FakeStripe, subscription_object
from homestretch.custom.models import CustomSequence
from homestretch.finder.models import ContactMessage
from homestretch.homework.models import Invitation
from homestretch.homework.testing import make_assignment, make_consent, make_teacher
from homestretch.library.models import Favorite, PlayerPreference, Sequence, WatchProgress
from homestretch.me.models import DataExport
from homestretch.me.privacy import REGISTRY, Erase
from homestretch.practice.models import CalendarFeed, PushSubscription, Reminder, ReminderSent
from homestretch.programs.models import Program
from homestretch.programs.services import clearance_record, selfcheck_record
from homestretch.programs.testing import clean_answers, make_enrollment, make_log, make_program

pytestmark = pytest.mark.also_s3

NAME = "Zephyrine Quillfeather"
EMAIL = "zephyrine@example.com"
SECOND_EMAIL = "zq.other@example.org"
NOTE = "my knee clicks on the stairs"


def test_every_model_with_a_user_foreign_key_is_in_the_registry() -> None:
    registered = {(h.model, h.path) for h in REGISTRY}
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    missing = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            to_user = field.is_relation and field.related_model is user_model
            if to_user and (model._meta.label, field.name) not in registered:
                missing.append(f"{model._meta.label}.{field.name}")
    assert missing == [], "add these to homestretch.me.privacy.REGISTRY"


def test_every_registry_entry_names_a_real_model_and_path() -> None:
    for holder in REGISTRY:
        model = apps.get_model(holder.model)
        model._default_manager.filter(**{holder.path: None if not holder.by_email else ""})


def _first_sequence() -> Sequence:
    return make_program().days.first().items.first().sequence  # type: ignore[union-attr,return-value]


def _member_with_everything(fake: FakeStripe) -> User:
    """A member with a row in every registered place, made through the real services
    where they exist."""
    alice = make_user(EMAIL, display_name=NAME)
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=alice, email=SECOND_EMAIL, verified=True)
    bob = make_bob()
    consent = make_consent(make_teacher(bob), alice, checks=True)
    today = alice.local_today()
    sequence = _first_sequence()
    enrollment = make_enrollment(alice, Program.objects.get())
    log = make_log(alice, sequence, today, enrollment=enrollment)
    log.note = NOTE
    log.save()
    make_assignment(consent, sequences=[sequence], starts_on=today, ends_on=today, note=NOTE)
    # A red flag for another condition, then the member's word that a clinician saw them.
    other = make_program("pelvic-care", days=1, condition="Pelvis", sequences=[sequence])
    stop = selfcheck_record(
        user=alice, program=other, answers=dict.fromkeys(clean_answers(), True), pain_areas=[]
    )
    clearance_record(user=alice, stop=stop, seen_on=today, confirmed=True)
    Invitation.objects.create(
        instructor=consent.instructor, email=SECOND_EMAIL, expires_at=timezone.now()
    )
    Reminder.objects.create(user=alice, weekdays=[1], at="07:30")
    ReminderSent.objects.create(user=alice, local_date=today)
    CalendarFeed.objects.create(user=alice)
    PushSubscription.objects.create(
        user=alice, endpoint="https://push.example.net/s/1", p256dh="BP", auth="au"
    )
    AppSignIn.objects.create(user=alice, session_key="k" * 32, client="Homestretch for Android")
    Favorite.objects.create(user=alice, sequence=sequence)
    CustomSequence.objects.create(owner=alice, title=f"{NAME}'s own", note=NOTE)
    WatchProgress.objects.create(user=alice, sequence=sequence, position_seconds=10)
    PlayerPreference.objects.create(user=alice, speed=1.25, captions="en")
    article = make_article()
    mine = make_comment(article, NOTE, user=alice)
    make_comment(article, "A reply to it", parent=mine)
    ContactMessage.objects.create(
        instructor=consent.instructor, sender=alice, sender_name=NAME, sender_email=EMAIL, body=NOTE
    )
    billing.grant_create(
        user=alice, ends_at=timezone.now() + timedelta(days=3), reason="test", granted_by=None
    )
    Customer.objects.create(user=alice, stripe_customer_id="cus_9")
    plan = Plan.objects.create(name="Monthly", slug="monthly", interval="month", price=12)
    CheckoutSession.objects.create(
        user=alice,
        plan=plan,
        stripe_session_id="cs_9",
        url="https://pay.example/cs_9",
        with_trial=False,
    )
    AccessCode.objects.create(code="WELCOME", days=5, expires_at=timezone.now() + timedelta(days=9))
    billing.code_redeem(user=alice, code="WELCOME")
    Subscription.objects.create(
        user=alice, plan=plan, stripe_subscription_id="sub_9", status="active"
    )
    fake.add_subscription(
        subscription_object(sub_id="sub_9", user_id=alice.pk, status="active", period_end=2**31)
    )
    DataExport.objects.create(user=alice, expires_at=timezone.now())
    # Two requests for access: one logged in, one sent anonymously with her second address.
    billing.access_request_create(email=EMAIL, name=NAME, message=NOTE, user=alice)
    billing.access_request_create(email=SECOND_EMAIL, name=NAME, message=NOTE)
    RecoveryCodes.activate(alice)  # an authenticator (TOTP is covered on its own below)
    return alice


def _everything_in_the_database() -> str:
    """Every row of every model, as text, to search for what is left of a person."""
    chunks = []
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue  # no table of its own (django-rq's dashboard, proxies)
        rows = list(model._default_manager.all())
        if rows:
            chunks.append(serializers.serialize("json", rows))
    return "\n".join(chunks).lower()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("comments", ["anonymise", "delete"])
def test_deleting_an_account_leaves_nothing_personal(
    fake_stripe: FakeStripe,  # noqa: F811
    comments: str,
) -> None:
    alice = _member_with_everything(fake_stripe)
    pk = alice.pk
    client = log_in(alice)
    # A failed login from elsewhere (a successful one clears the earlier failures).
    AccessAttempt.objects.create(
        username=EMAIL, ip_address="10.0.0.9", user_agent="x", failures_since_start=1
    )
    # Every DELETE and CHOICE entry really has rows, so the proof below proves something.
    for holder in REGISTRY:
        if holder.erase in (Erase.DELETE, Erase.CHOICE) and holder.model not in (
            "admin.LogEntry",
            "axes.AccessLog",
            "axes.AccessFailureLog",
            "finder.Instructor",
        ):
            emails = [EMAIL, SECOND_EMAIL]
            assert holder.rows(alice, emails).exists(), holder.model
    assert EMAIL in _everything_in_the_database()

    response = client.post(
        "/me/delete/", {"password": PASSWORD, "comments": comments, "confirm": "on"}
    )
    assert response.status_code == 302

    assert not User.objects.filter(pk=pk).exists()
    left = _everything_in_the_database()
    for trace in (EMAIL, SECOND_EMAIL, NAME.lower(), NOTE):
        if comments == "anonymise" and trace == NOTE:
            continue  # the comment's words stay, without the name
        assert trace not in left, trace
    if comments == "anonymise":
        kept = Comment.objects.get(body=NOTE)
        assert (kept.user_id, kept.name, kept.email) == (None, "A former member", "")
        # The comment's body and its rendered HTML; the log, homework and message are gone.
        assert left.count(NOTE) == 2
    else:
        assert not Comment.objects.filter(body__in=[NOTE, "A reply to it"]).exists()
    # The Stripe subscription is canceled at once, through the billing service.
    assert ("DELETE", "/v1/subscriptions/sub_9") in fake_stripe.calls()
    # Signed out, every session ended.
    assert client.get("/me/").status_code == 302
    from django.contrib.sessions.models import Session

    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(pk)]


@pytest.mark.django_db
def test_deleting_needs_the_password(client: Client) -> None:
    alice = make_user(EMAIL, display_name=NAME)
    client.force_login(alice)
    assert client.get("/me/delete/").status_code == 200
    wrong = client.post("/me/delete/", {"password": "nope", "comments": "delete", "confirm": "on"})
    assert wrong.status_code == 400
    assert "not your password" in wrong.content.decode()
    unconfirmed = client.post("/me/delete/", {"password": PASSWORD, "comments": "delete"})
    assert unconfirmed.status_code == 400
    assert User.objects.filter(pk=alice.pk).exists()


@pytest.mark.django_db
def test_with_two_factor_on_deleting_needs_the_current_code_too(client: Client) -> None:
    alice = make_user(EMAIL, display_name=NAME)
    secret = generate_totp_secret()
    TOTP.activate(alice, secret)
    client.force_login(alice)
    form = {"password": PASSWORD, "comments": "delete", "confirm": "on"}
    assert client.post("/me/delete/", form).status_code == 400
    assert client.post("/me/delete/", {**form, "code": "000000"}).status_code == 400
    assert User.objects.filter(pk=alice.pk).exists()
    code = f"{hotp_value(secret, int(timezone.now().timestamp()) // 30):06}"
    assert client.post("/me/delete/", {**form, "code": code}).status_code == 302
    assert not User.objects.filter(pk=alice.pk).exists()


@pytest.mark.django_db
def test_deleting_is_rate_limited(client: Client) -> None:
    alice = make_user(EMAIL, display_name=NAME)
    client.force_login(alice)
    for _ in range(5):
        client.post("/me/delete/", {"password": "guess", "comments": "delete", "confirm": "on"})
    response = client.post(
        "/me/delete/", {"password": PASSWORD, "comments": "delete", "confirm": "on"}
    )
    assert response.status_code == 429
    assert User.objects.filter(pk=alice.pk).exists()


@pytest.mark.django_db
def test_when_stripe_cannot_be_reached_nothing_is_deleted(
    client: Client,
    fake_stripe: FakeStripe,  # noqa: F811
) -> None:
    alice = make_user(EMAIL, display_name=NAME)
    Subscription.objects.create(user=alice, stripe_subscription_id="sub_unknown", status="active")
    make_log(alice, _first_sequence(), alice.local_today())
    client.force_login(alice)
    response = client.post(
        "/me/delete/", {"password": PASSWORD, "comments": "delete", "confirm": "on"}
    )
    assert response.status_code == 400
    assert "nothing was deleted" in response.content.decode()
    assert User.objects.filter(pk=alice.pk).exists()
    assert alice.practice_logs.exists()


@pytest.mark.django_db
def test_an_article_author_must_hand_over_articles_first(client: Client) -> None:
    writer = make_user("writer@example.com", display_name="Wren")
    make_article(author=writer)
    client.force_login(writer)
    response = client.post(
        "/me/delete/", {"password": PASSWORD, "comments": "delete", "confirm": "on"}
    )
    assert response.status_code == 400
    assert "author of articles" in response.content.decode()


@pytest.mark.django_db
def test_the_export_holds_my_data_and_no_one_elses(client: Client) -> None:
    alice = make_user(EMAIL, display_name=NAME)
    bob = make_bob()
    consent = make_consent(make_teacher(bob), alice)
    sequence = _first_sequence()
    make_log(alice, sequence, alice.local_today())
    make_log(bob, sequence, bob.local_today(), before=9)
    make_assignment(
        consent, sequences=[sequence], starts_on=alice.local_today(), ends_on=alice.local_today()
    )
    make_comment(make_article(), "Hello", user=alice)
    Favorite.objects.create(user=alice, sequence=sequence)
    PlayerPreference.objects.create(user=alice, speed=1.25)
    client.force_login(alice)

    response = client.post("/me/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"
    data = json.loads(response.content)
    assert data["profile"]["email"] == EMAIL
    rows = data["data"]
    assert [log["user_id"] for log in rows["programs.PracticeLog"]] == [alice.pk]
    for label in (
        "homework.Consent",
        "homework.ConsentEvent",
        "homework.Assignment",
        "articles.Comment",
        "library.Favorite",
        "library.PlayerPreference",
        "account.EmailAddress",
        "usersessions.UserSession",
    ):
        assert rows.get(label), label
    text = response.content.decode()
    assert "password" not in text
    assert "session_key" not in text
    assert bob.email not in text


@pytest.mark.django_db
def test_a_large_export_is_built_in_the_background_with_an_expiring_link(
    client: Client, settings: Any
) -> None:
    settings.PRIVACY_EXPORT_INLINE_ROWS = 0
    alice = make_user(EMAIL, display_name=NAME)
    client.force_login(alice)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/me/export/")
    assert response.status_code == 302
    export = DataExport.objects.get()
    assert export.ready_at is not None
    link = re.search(r"http://\S+(/me/export/\S+/)", str(mail.outbox[-1].body))
    assert link is not None
    path = link.group(1)

    download = client.get(path)
    assert download.status_code == 200
    assert download["Cache-Control"] == "private, no-store"
    assert json.loads(b"".join(download.streaming_content))["profile"]["email"] == EMAIL  # type: ignore[attr-defined]

    other = Client()
    other.force_login(make_bob())
    assert other.get(path).status_code == 404
    assert Client().get(path).status_code == 302

    DataExport.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(path).status_code == 404
    assert not DataExport.objects.exists()


@pytest.mark.django_db
def test_exports_are_rate_limited(client: Client) -> None:
    client.force_login(make_user(EMAIL))
    for _ in range(5):
        assert client.post("/me/export/").status_code == 200
    assert client.post("/me/export/").status_code == 429


@pytest.mark.django_db
def test_expired_exports_are_purged_with_their_files() -> None:
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    alice = make_user(EMAIL)
    old = DataExport.objects.create(user=alice, expires_at=timezone.now() - timedelta(hours=1))
    old.file.save("old.json", ContentFile(b"{}"))
    fresh = DataExport.objects.create(user=alice, expires_at=timezone.now() + timedelta(hours=1))
    storage, name = old.file.storage, old.file.name
    call_command("purge_data_exports")
    assert list(DataExport.objects.all()) == [fresh]
    assert not storage.exists(name)
