"""Optional error reports to Sentry (SENTRY_DSN), with no personal data in them.

The SDK is told not to send personal data (no user, cookies, addresses, bodies or local
variables), and `before_send` goes further: health checks and metrics scrapes are not
reported at all, and what logs put in an event (the log call's arguments, extras, the
messages of earlier log lines) is reduced to the message template with email addresses
and signed-URL tokens blanked. Members' health data must never leave the server.
"""

import re
from typing import Any
from urllib.parse import urlsplit

# Requests whose errors are not worth an event: they are polled, and say so themselves.
IGNORED_PATHS = ("/healthz", "/metrics")
# Headers kept on an event's request; the rest (cookies, authorization, forwarded
# addresses) are dropped.
KEPT_HEADERS = {"host", "user-agent", "x-request-id", "content-type", "accept"}
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TOKEN = re.compile(r"\b(tok|token|key|code)=[^&\s]+", re.IGNORECASE)


def scrub_text(text: str) -> str:
    return _TOKEN.sub(r"\1=[scrubbed]", _EMAIL.sub("[email]", text))


def before_send(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any] | None:
    """Drop events of health pages; strip what could identify a person from the rest."""
    request = event.get("request") or {}
    url = urlsplit(str(request.get("url") or ""))
    if url.path in IGNORED_PATHS or event.get("transaction") in IGNORED_PATHS:
        return None
    if request:
        event["request"] = {
            "method": request.get("method"),
            # Without the query string: signed video URLs carry tokens there.
            "url": f"{url.scheme}://{url.netloc}{url.path}" if url.netloc else url.path,
            "headers": {
                name: value
                for name, value in (request.get("headers") or {}).items()
                if name.lower() in KEPT_HEADERS
            },
        }
    event.pop("user", None)
    event.pop("extra", None)
    logentry = event.get("logentry")
    if logentry:
        # The template ("Sent %s to %s") says what happened; the arguments say to whom.
        event["logentry"] = {"message": scrub_text(str(logentry.get("message", "")))}
    if "message" in event:
        event["message"] = scrub_text(str(event["message"]))
    for exception in (event.get("exception") or {}).get("values", []):
        if exception.get("value"):
            exception["value"] = scrub_text(str(exception["value"]))
        for frame in (exception.get("stacktrace") or {}).get("frames", []):
            frame.pop("vars", None)
    breadcrumbs = event.get("breadcrumbs")
    values = breadcrumbs.get("values", []) if isinstance(breadcrumbs, dict) else breadcrumbs
    for crumb in values or []:
        crumb.pop("data", None)
        if crumb.get("message"):
            crumb["message"] = scrub_text(str(crumb["message"]))
    return event


def init_sentry(*, dsn: str, environment: str) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.rq import RqIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), RqIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=before_send,  # type: ignore[arg-type]
        # Errors only: no performance tracing, which would send every page's timings.
        traces_sample_rate=0,
    )
