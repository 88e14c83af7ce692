from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from homestretch.lib.logs import VALID_REQUEST_ID, new_request_id, reset_request_id, set_request_id


class RequestIdMiddleware:
    """Give every request an id: in its log lines, its tasks' and the `X-Request-ID` reply.

    Behind a trusted proxy (TRUSTED_PROXY_COUNT > 0) the id is the proxy's own
    `X-Request-ID` (nginx's $request_id), so nginx's, gunicorn's and Django's lines of one
    request share it; without one, a client could choose it, so a new one is made.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        if settings.TRUSTED_PROXY_COUNT and VALID_REQUEST_ID.match(given):
            request_id = given
        else:
            request_id = new_request_id()
        request.request_id = request_id  # type: ignore[attr-defined]
        token = set_request_id(request_id)
        try:
            response = self.get_response(request)
        finally:
            reset_request_id(token)
        response["X-Request-ID"] = request_id
        return response
