from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


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


def private_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For pages with personal health data: never stored by a browser cache or a proxy."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["Cache-Control"] = "private, no-store"
        return response

    return wrapper
