import re
import time
from collections.abc import Callable

from allauth.mfa.models import Authenticator
from allauth.usersessions.middleware import UserSessionsMiddleware
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

# Paths a staff member without two-factor may still reach: the pages that set it up,
# logging out, and the static files those pages need.
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz")


class StaffTwoFactorMiddleware:
    """Send staff without TOTP to the page that activates it, when STAFF_REQUIRE_2FA is on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.STAFF_REQUIRE_2FA
            and user.is_authenticated
            and user.is_staff
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            messages.warning(
                request, "Staff accounts need two-factor authentication. Set it up to go on."
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


_VIDEO_FILES = re.compile(r"^/library/[\w-]+/media/")


# "Last seen" is recorded at most this often per session (seconds).
ACTIVITY_EVERY = 60


class SessionActivityMiddleware(UserSessionsMiddleware):
    """allauth's "last seen" tracking, except for video files, and at most once a minute.

    A player fetches a segment every few seconds; recording each one would be a database
    write per segment. The watch page and the progress API still record the activity.
    allauth reads and writes the session's row on every request; a minute's precision is
    plenty for the list of sessions, and saves two queries on every page.
    """

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _VIDEO_FILES.match(request.path):
            return self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.session_key and request.user.is_authenticated:
            now = int(time.time())
            if 0 <= now - session.get("_activity_at", 0) < ACTIVITY_EVERY:
                return self.get_response(request)
            session["_activity_at"] = now
        response: HttpResponse = super().__call__(request)
        return response
