"""Practice reminders as web-push notifications: sent to a real HTTP server on loopback
standing in for the push service (real requests, real encryption and VAPID signature),
under the email's one-a-day rule; a 404 or 410 forgets the browser; members opt in and
remove devices on /me/reminders/ and through the API, their own only."""

import base64
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import http_ece
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.core import mail
from django.core.management import call_command
from django.test import Client
from py_vapid import Vapid

from homestretch.accounts.models import User
from homestretch.accounts.testing import log_in, make_alice, make_charlie
from homestretch.lib.vapid import vapid_pair, vapid_problem
from homestretch.practice.models import PushSubscription, ReminderSent
from homestretch.practice.reminders import reminders_send
from homestretch.practice.testing import make_moves_program, make_reminder
from homestretch.programs.testing import make_enrollment

pytestmark = pytest.mark.django_db

# Monday 1 June 2026, 07:30 in Berlin: day 8 of alice's program.
MONDAY_0730 = datetime(2026, 6, 1, 7, 30, tzinfo=ZoneInfo("Europe/Berlin"))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class Received:
    path: str
    headers: Message  # names in any case, as HTTP has them
    body: bytes


@dataclass
class PushService:
    """An HTTP server on 127.0.0.1 answering pushes as a push service does: 201, or the
    status set for a path."""

    url: str
    received: list[Received] = field(default_factory=list)
    answers: dict[str, int] = field(default_factory=dict)


@pytest.fixture
def push_service() -> Iterator[PushService]:
    service = PushService(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            service.received.append(Received(self.path, self.headers, body))
            status = service.answers.get(self.path, 201)
            self.send_response(status)
            if status == 307:
                self.send_header("Location", f"{service.url}/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    service.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield service
    server.shutdown()
    server.server_close()
    thread.join()


@dataclass
class Browser:
    """A browser's side of a subscription: the keys it decrypts with."""

    private_key: ec.EllipticCurvePrivateKey
    auth: bytes

    @classmethod
    def new(cls) -> "Browser":
        return cls(ec.generate_private_key(ec.SECP256R1()), os.urandom(16))

    @property
    def p256dh(self) -> str:
        point = self.private_key.public_key().public_bytes(
            Encoding.X962, PublicFormat.UncompressedPoint
        )
        return _b64(point)

    def subscribe(self, user: User, endpoint: str) -> PushSubscription:
        # Straight into the table: the API refuses loopback endpoints, as it should.
        return PushSubscription.objects.create(
            user=user, endpoint=endpoint, p256dh=self.p256dh, auth=_b64(self.auth)
        )

    def read(self, body: bytes) -> Any:
        plain = http_ece.decrypt(
            body, private_key=self.private_key, auth_secret=self.auth, version="aes128gcm"
        )
        return json.loads(plain)


@pytest.fixture
def vapid(settings: Any) -> str:
    public, private = vapid_pair()
    settings.WEBPUSH_VAPID_PUBLIC_KEY = public
    settings.WEBPUSH_VAPID_PRIVATE_KEY = private
    settings.WEBPUSH_VAPID_SUBJECT = "mailto:studio@example.com"
    return public


def _member_in_program(user: User | None = None) -> User:
    user = user or make_alice()
    make_enrollment(user, make_moves_program(), start_date=date(2026, 5, 25))
    make_reminder(user, timezone="Europe/Berlin")
    return user


def test_a_due_reminder_is_pushed_once_encrypted_and_signed(
    vapid: str, push_service: PushService, django_capture_on_commit_callbacks: Any
) -> None:
    alice = _member_in_program()
    browser = Browser.new()
    subscription = browser.subscribe(alice, f"{push_service.url}/push/alice-phone")
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(MONDAY_0730) == 1
    [push] = push_service.received
    assert push.path == "/push/alice-phone"
    assert push.headers["TTL"] == str(12 * 3600)
    assert push.headers["Content-Encoding"] == "aes128gcm"
    assert push.headers["Topic"] == "practice-reminder"
    authorization = push.headers["Authorization"]
    assert authorization.startswith("vapid t=")
    assert f",k={vapid}" in authorization
    assert Vapid.verify(authorization)  # signed with the private key of that public key
    assert b"Move 8" not in push.body  # encrypted to the browser, unreadable on the way
    assert browser.read(push.body) == {
        "title": "Homestretch: time to practise",
        "body": "Day 8 \N{EN DASH} Move 8",
        "url": "/programs/si-joint/day/8/",
        "tag": "practice-reminder",
    }
    subscription.refresh_from_db()
    assert subscription.last_success_at is not None
    assert len(mail.outbox) == 1  # the email too, the same reminder

    # One reminder a day, whichever channels: later runs that day send neither.
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(MONDAY_0730 + timedelta(minutes=1)) == 0
        assert reminders_send(MONDAY_0730 + timedelta(minutes=20)) == 0
    assert len(push_service.received) == 1
    assert len(mail.outbox) == 1
    assert ReminderSent.objects.filter(user=alice).count() == 1


def test_a_day_already_reminded_is_not_pushed(
    vapid: str, push_service: PushService, django_capture_on_commit_callbacks: Any
) -> None:
    alice = _member_in_program()
    Browser.new().subscribe(alice, f"{push_service.url}/push/alice-phone")
    ReminderSent.objects.create(user=alice, local_date=date(2026, 6, 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(MONDAY_0730) == 0
    assert push_service.received == []


def test_a_gone_browser_is_forgotten_and_the_others_still_get_theirs(
    vapid: str, push_service: PushService, django_capture_on_commit_callbacks: Any
) -> None:
    alice = _member_in_program()
    for name, status in (("gone", 410), ("unknown", 404), ("down", 503), ("moved", 307)):
        push_service.answers[f"/push/{name}"] = status
        Browser.new().subscribe(alice, f"{push_service.url}/push/{name}")
    working = Browser.new().subscribe(alice, f"{push_service.url}/push/laptop")
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(MONDAY_0730) == 1
    paths = sorted(push.path for push in push_service.received)
    # A redirect is never followed: an endpoint cannot send our request elsewhere.
    assert paths == ["/push/down", "/push/gone", "/push/laptop", "/push/moved", "/push/unknown"]
    left = set(PushSubscription.objects.values_list("endpoint", flat=True))
    assert left == {f"{push_service.url}/push/{name}" for name in ("down", "moved", "laptop")}
    working.refresh_from_db()
    assert working.last_success_at is not None


def test_without_vapid_keys_nothing_is_pushed_and_the_email_still_goes(
    push_service: PushService, django_capture_on_commit_callbacks: Any
) -> None:
    alice = _member_in_program()
    Browser.new().subscribe(alice, f"{push_service.url}/push/alice-phone")
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(MONDAY_0730) == 1
    assert push_service.received == []
    assert len(mail.outbox) == 1


def _subscription_json(endpoint: str = "https://fcm.googleapis.com/fcm/send/abc123") -> str:
    browser = Browser.new()
    return json.dumps(
        {
            "endpoint": endpoint,
            "expirationTime": None,
            "keys": {"p256dh": browser.p256dh, "auth": _b64(browser.auth)},
        }
    )


def _subscribe(client: Client, body: str) -> Any:
    return client.post(
        "/api/me/push-subscriptions",
        body,
        content_type="application/json",
        HTTP_USER_AGENT="Firefox on Android",
    )


def test_a_browser_subscribes_through_the_api_and_only_its_member_removes_it(vapid: str) -> None:
    alice, charlie = make_alice(), make_charlie()
    client = log_in(alice)
    body = _subscription_json()
    created = _subscribe(client, body)
    assert created.status_code == 201, created.json()
    assert created.json()["client"] == "Firefox on Android"
    assert _subscribe(client, body).status_code == 200  # the same browser again
    subscription = PushSubscription.objects.get()
    assert subscription.user == alice
    listed = client.get("/api/me/push-subscriptions").json()
    assert [item["id"] for item in listed["items"]] == [subscription.pk]

    other = log_in(charlie)
    assert other.get("/api/me/push-subscriptions").json()["items"] == []
    gone = other.delete(f"/api/me/push-subscriptions/{subscription.pk}")
    assert gone.status_code == 404
    assert gone.json()["error"]["code"] == "not_found"
    assert other.post(f"/me/reminders/push/{subscription.pk}/remove/").status_code == 404
    assert PushSubscription.objects.filter(pk=subscription.pk).exists()

    assert client.delete(f"/api/me/push-subscriptions/{subscription.pk}").status_code == 204
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    ("endpoint", "words"),
    [
        ("http://push.example.net/s/1", "https://"),
        ("https://127.0.0.1/s/1", "IP address"),
        ("https://[::1]/s/1", "IP address"),
        ("https://localhost/s/1", "internet"),
        ("https://push.example.net:8443/s/1", "port"),
        ("https://intranet/s/1", "internet"),
    ],
)
def test_an_endpoint_that_is_not_a_push_service_is_refused(
    vapid: str, endpoint: str, words: str
) -> None:
    response = _subscribe(log_in(make_alice()), _subscription_json(endpoint))
    assert response.status_code == 400
    assert words in response.json()["error"]["message"]
    assert not PushSubscription.objects.exists()


def test_keys_that_are_not_a_browsers_are_refused(vapid: str) -> None:
    client = log_in(make_alice())
    body = json.loads(_subscription_json())
    body["keys"]["p256dh"] = _b64(b"\x04" + b"\x01" * 64)  # not a point on the curve
    response = _subscribe(client, json.dumps(body))
    assert response.status_code == 400
    assert "p256dh" in response.json()["error"]["message"]
    body = json.loads(_subscription_json())
    body["keys"]["auth"] = _b64(b"short")
    assert _subscribe(client, json.dumps(body)).status_code == 400
    assert not PushSubscription.objects.exists()


def test_without_vapid_keys_the_api_and_the_page_say_push_is_not_offered() -> None:
    client = log_in(make_alice())
    response = _subscribe(client, _subscription_json())
    assert response.status_code == 400
    assert "not offered" in response.json()["error"]["message"]
    page = client.get("/me/reminders/").content.decode()
    assert "Notifications are not offered on this site" in page
    assert "data-push-subscribe" not in page
    assert "js/push.js" not in page


def test_the_page_offers_the_button_and_lists_my_devices_with_a_remove_button(
    vapid: str,
) -> None:
    alice, charlie = make_alice(), make_charlie()
    mine = Browser.new().subscribe(alice, "https://updates.push.services.mozilla.com/wpush/v2/a")
    mine.client = "Firefox on Android"
    mine.save()
    Browser.new().subscribe(charlie, "https://fcm.googleapis.com/fcm/send/charlie")
    client = log_in(alice)
    page = client.get("/me/reminders/").content.decode()
    assert f'data-vapid-key="{vapid}"' in page
    assert "data-push-subscribe" in page
    assert "js/push.js" in page
    assert "Firefox on Android" in page
    assert page.count("/remove/") == 1  # charlie's device is not on alice's page
    response = client.post(f"/me/reminders/push/{mine.pk}/remove/")
    assert response.status_code == 302
    assert response["Location"] == "/me/reminders/#push"
    assert not PushSubscription.objects.filter(user=alice).exists()


def test_removing_a_device_and_subscribing_need_the_csrf_token(vapid: str) -> None:
    alice = make_alice()
    subscription = Browser.new().subscribe(alice, "https://fcm.googleapis.com/fcm/send/a")
    client = log_in(alice)
    client.handler.enforce_csrf_checks = True
    assert client.post(f"/me/reminders/push/{subscription.pk}/remove/").status_code == 403
    assert _subscribe(client, _subscription_json()).status_code == 403
    assert client.delete(f"/api/me/push-subscriptions/{subscription.pk}").status_code == 403
    assert PushSubscription.objects.count() == 1


def test_a_visitor_is_sent_to_log_in() -> None:
    response = Client().post("/me/reminders/push/1/remove/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert Client().get("/api/me/push-subscriptions").status_code == 401


def test_webpush_keys_prints_a_pair_the_settings_accept() -> None:
    out = StringIO()
    call_command("webpush_keys", stdout=out)
    lines = dict(line.split("=", 1) for line in out.getvalue().split())
    public, private = lines["WEBPUSH_VAPID_PUBLIC_KEY"], lines["WEBPUSH_VAPID_PRIVATE_KEY"]
    assert vapid_problem(public, private, "mailto:studio@example.com") == ""
    other_public, _ = vapid_pair()
    assert "not the public key" in vapid_problem(other_public, private, "mailto:a@example.com")
    assert "mailto:" in vapid_problem(public, private, "http://127.0.0.1:8000")
    assert "Set both" in vapid_problem(public, "", "mailto:a@example.com")
