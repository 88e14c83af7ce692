from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.http import http_date

_View = TypeVar("_View", bound=Callable[..., HttpResponseBase])


def client_ip(request: HttpRequest) -> str:
    """The client's address, for login throttling and rate limits.

    Behind TRUSTED_PROXY_COUNT proxies, each of which appends the address it saw to
    X-Forwarded-For, the client is that many entries from the right; anything further
    left was written by the client and may be forged. allauth counts the same way
    (ALLAUTH_TRUSTED_PROXY_COUNT).
    """
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",")]
    if count and len(forwarded) >= count and forwarded[-count]:
        return forwarded[-count]
    return str(request.META.get("REMOTE_ADDR", ""))


def private_page(view: _View) -> _View:
    """For pages and files of one person's own data (health data above all): no browser
    history cache, shared proxy or CDN may keep a copy.

    `never_cache` semantics, spelled the way the library's private responses are:
    `Cache-Control: private, no-store` (under RFC 9111 no-store alone forbids storing, so
    no-cache, must-revalidate and max-age=0 add nothing) and an `Expires` of now for
    HTTP/1.0 caches. Put it outermost, so the login redirect carries the headers too.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        response.headers["Cache-Control"] = "private, no-store"
        response.headers["Expires"] = http_date()
        return response

    return cast(_View, wrapper)
