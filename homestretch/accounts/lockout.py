"""What a client locked out by axes (too many failed logins) is answered: the page for a
browser, and for an app signing in through the API, JSON in the sign-in endpoints' own
(allauth's) shape, which an app can read."""

from typing import Any

from axes.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.path.startswith("/api/"):
        message = "Too many failed login attempts. Try again later."
        return JsonResponse(
            {"status": status, "errors": [{"code": "too_many_login_attempts", "message": message}]},
            status=status,
        )
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=status)
