"""Practice reminders as web-push notifications (RFC 8030, encrypted per RFC 8291, signed
with VAPID per RFC 8292, through pywebpush), beside the emails.

Off unless the VAPID keys are set. Each browser that opts in on /me/reminders/ is a
`PushSubscription`; the reminder sender pushes to each of the member's browsers under the
same one-a-day claim as the email. A push service that answers 404 or 410 says the browser
has unsubscribed (or the member cleared the site's data): the subscription is deleted.
"""

import json
import logging
from ipaddress import ip_address
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils import timezone
from pywebpush import WebPushException, webpush

from homestretch.practice.models import PushSubscription

log = logging.getLogger(__name__)

# A reminder not delivered within this long (the phone off all day) is dropped by the
# push service: tomorrow's is the next one worth showing.
TTL_SECONDS = 12 * 3600
# A push service answers in well under a second; a hung one must not hold the worker.
TIMEOUT_SECONDS = 10
GONE = (404, 410)


def push_offered() -> bool:
    return bool(settings.WEBPUSH_VAPID_PUBLIC_KEY and settings.WEBPUSH_VAPID_PRIVATE_KEY)


def endpoint_problem(endpoint: str) -> str:
    """Why the site will not post to this endpoint, or "". Push services are on the public
    internet behind https with a host name; anything else (an address on our own network,
    plain http) would let a made-up subscription make the server call it."""
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        return "The endpoint is not a URL."
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host:
        return "The endpoint must be an https:// URL of a push service."
    if port not in (None, 443):
        return "The endpoint must be on the standard https port."
    try:
        ip_address(host)
    except ValueError:
        pass
    else:
        return "The endpoint must name a push service, not an IP address."
    if (
        host == "localhost"
        or host.endswith((".localhost", ".local", ".internal"))
        or "." not in host
    ):
        return "The endpoint must be a push service on the internet."
    return ""


class _NoRedirects(requests.Session):
    """A push service answers a push; it never redirects one. Following a redirect would
    let an endpoint send our request somewhere else, so one is an error."""

    def __init__(self) -> None:
        super().__init__()
        self.max_redirects = 0


def push_send(subscription: PushSubscription, message: dict[str, str]) -> bool:
    """Encrypt `message` (JSON) to the browser and post it to its push service. Returns
    whether it was accepted; a 404 or 410 deletes the subscription, other failures are
    logged and keep it for the next reminder."""
    try:
        webpush(
            subscription_info=subscription.subscription_info(),
            data=json.dumps(message),
            vapid_private_key=settings.WEBPUSH_VAPID_PRIVATE_KEY,
            vapid_claims={"sub": settings.WEBPUSH_VAPID_SUBJECT},
            ttl=TTL_SECONDS,
            # A later reminder replaces one the device has not received yet.
            headers={"Topic": "practice-reminder", "Urgency": "normal"},
            timeout=TIMEOUT_SECONDS,
            requests_session=_NoRedirects(),
        )
    except WebPushException as e:
        if e.status_code in GONE:
            log.info("Push subscription %s is gone (%s): deleted", subscription.pk, e.status_code)
            subscription.delete()
        else:
            log.warning("Push to subscription %s failed: %s", subscription.pk, e.status_code)
        return False
    except requests.RequestException as e:
        log.warning("Push to subscription %s failed: %s", subscription.pk, type(e).__name__)
        return False
    PushSubscription.objects.filter(pk=subscription.pk).update(last_success_at=timezone.now())
    return True
