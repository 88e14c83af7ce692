"""Error reports leave out personal data and health checks (homestretch/ops/sentry.py)."""

import gzip
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import brotli
import pytest

from homestretch.ops.sentry import before_send
from tests.helpers import PRODUCTION_ENV, run_django


def _event(**parts) -> dict:
    return {"level": "error", "request": {"url": "https://homestretch.example.org/me/"}, **parts}


def test_health_checks_and_scrapes_are_not_reported() -> None:
    for path in ("/healthz", "/metrics"):
        event = _event(request={"url": f"https://homestretch.example.org{path}"})
        assert before_send(event, {}) is None


def test_the_request_keeps_what_it_was_not_who_sent_it() -> None:
    event = _event(
        request={
            "method": "POST",
            "url": "https://homestretch.example.org/library/clock/media/a/seg.m4s",
            "query_string": "exp=1&tok=secret-token",
            "cookies": {"sessionid": "abc"},
            "data": {"note": "my pelvis hurts"},
            "env": {"REMOTE_ADDR": "203.0.113.9"},
            "headers": {
                "Cookie": "sessionid=abc",
                "Authorization": "Bearer t",
                "X-Forwarded-For": "203.0.113.9",
                "User-Agent": "Firefox",
                "X-Request-ID": "0123456789abcdef",
            },
        },
        user={"id": 7, "email": "alice@example.com", "ip_address": "203.0.113.9"},
    )
    scrubbed = before_send(event, {})
    assert scrubbed is not None
    assert scrubbed["request"] == {
        "method": "POST",
        "url": "https://homestretch.example.org/library/clock/media/a/seg.m4s",
        "headers": {"User-Agent": "Firefox", "X-Request-ID": "0123456789abcdef"},
    }
    assert "user" not in scrubbed


def test_log_data_is_reduced_to_its_template() -> None:
    event = _event(
        logentry={
            "message": "Reminder sent to %s",
            "formatted": "Reminder sent to alice@example.com",
            "params": ["alice@example.com"],
        },
        extra={"email": "alice@example.com"},
        breadcrumbs={
            "values": [
                {
                    "category": "homestretch.accounts",
                    "message": "Password reset for alice@example.com, link ?key=abc123",
                    "data": {"pain": 7},
                }
            ]
        },
        exception={
            "values": [
                {
                    "type": "IntegrityError",
                    "value": "Key (email)=(alice@example.com) already exists.",
                    "stacktrace": {"frames": [{"function": "save", "vars": {"pain": 7}}]},
                }
            ]
        },
    )
    scrubbed = before_send(event, {})
    assert scrubbed is not None
    assert scrubbed["logentry"] == {"message": "Reminder sent to %s"}
    assert "extra" not in scrubbed
    crumb = scrubbed["breadcrumbs"]["values"][0]
    assert crumb == {
        "category": "homestretch.accounts",
        "message": "Password reset for [email], link ?key=[scrubbed]",
    }
    exception = scrubbed["exception"]["values"][0]
    assert exception["value"] == "Key (email)=([email]) already exists."
    assert exception["stacktrace"]["frames"] == [{"function": "save"}]


@pytest.fixture
def fake_sentry() -> Iterator[tuple[str, list[bytes]]]:
    """A local stand-in for Sentry's ingest endpoint, which keeps what it is sent."""
    received: list[bytes] = []

    class Ingest(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            # The SDK compresses with brotli when it is installed (WeasyPrint's fonttools
            # brings it), else with gzip.
            encoding = self.headers.get("Content-Encoding")
            if encoding == "gzip":
                body = gzip.decompress(body)
            elif encoding == "br":
                body = brotli.decompress(body)
            received.append(body)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Ingest)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://publickey@127.0.0.1:{server.server_port}/1", received
    server.shutdown()
    server.server_close()


def test_what_reaches_sentry_names_nobody(fake_sentry, tmp_path) -> None:
    dsn, received = fake_sentry
    code = """
import logging
import sentry_sdk
logging.getLogger("homestretch.accounts").info("Looked up %s", "bob@example.com")
logging.getLogger("homestretch.accounts").error("Could not email %s", "alice@example.com")
try:
    raise ValueError("no account for carol@example.com")
except ValueError:
    sentry_sdk.capture_exception()
sentry_sdk.flush(timeout=10)
"""
    env = {
        **PRODUCTION_ENV,
        "SENTRY_DSN": dsn,
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "MEDIA_ROOT": str(tmp_path),
    }
    result = run_django(env=env, code=code)
    assert result.returncode == 0, result.stderr
    sent = b"\n".join(received).decode()
    assert "Could not email %s" in sent
    assert "no account for [email]" in sent
    assert "@example.com" not in sent
