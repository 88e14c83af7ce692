"""Who is calling: an app with `Authorization: Bearer <access token>` (allauth's headless
JWTs, from /api/auth/app/v1/auth/login), or a browser with its session cookie.

A Bearer token is not sent by a browser on its own, so it needs no CSRF token; the
session cookie is, so unsafe methods with it still need one (ninja's session auth checks
it). Access tokens are checked against their session on every request, so signing out or
revoking an app on /me/ ends its token at once, not when it expires.
"""

from collections.abc import Callable
from typing import Any

from allauth.headless.contrib.ninja.security import JWTTokenAuth
from django.http import HttpRequest
from ninja.security import django_auth


class BearerToken(JWTTokenAuth):
    # Described as what it is, an HTTP bearer token (allauth's says apiKey, without a name).
    openapi_type = "http"
    openapi_scheme = "bearer"
    openapi_bearerFormat = "JWT"


bearer = BearerToken()


def _anyone(request: HttpRequest) -> Any:
    # Open routes take a token when one is sent (a signed-in app sees what its member may
    # watch), and a caller without one is a visitor; a bad or expired token is a 401.
    if "Authorization" in request.headers:
        return None
    return request.user


SIGNED_IN: list[Callable[..., Any]] = [bearer, django_auth]
ANYONE: list[Callable[..., Any]] = [bearer, django_auth, _anyone]
