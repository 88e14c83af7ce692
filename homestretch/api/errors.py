"""One shape for every error the API gives, whatever raised it:

    {"error": {"code": "not_found", "message": "Not found.", "fields": []}}

`code` is stable for programs to test, `message` is for people, `fields` lists the
invalid inputs of a 422 (`{"field": "pain_before", "message": "…"}`). Unknown addresses
under /api/ answer the same way (`not_found_view`), and so does a crash: logged, sent to
Django's `got_request_exception` (Sentry listens there), and answered with a 500 that
names nothing of it.
"""

import logging
from typing import Any

from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

logger = logging.getLogger(__name__)

CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    410: "gone",
    422: "invalid",
    429: "throttled",
    500: "server_error",
}


class FieldError(Schema):
    field: str
    message: str


class ErrorBody(Schema):
    code: str
    message: str
    fields: list[FieldError] = []


class ErrorOut(Schema):
    error: ErrorBody


def error_response(
    status: int, message: str, *, fields: list[dict[str, str]] | None = None
) -> JsonResponse:
    body = {"code": CODES.get(status, "error"), "message": message, "fields": fields or []}
    return JsonResponse({"error": body}, status=status)


def _field(loc: list[Any]) -> str:
    # ninja's locations start with where the value came from (body, query, path) and,
    # for a body, the view's parameter name: neither is what the caller sent.
    parts = [str(part) for part in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form"}:
        parts = parts[1:]
        if len(parts) > 1 and loc[0] == "body":
            parts = parts[1:]
    return ".".join(parts) or "body"


def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = [
        {"field": _field(list(e.get("loc", []))), "message": str(e.get("msg", "Invalid."))}
        for e in exc.errors
    ]
    message = "; ".join(f"{f['field']}: {f['message']}" for f in fields) or "Invalid input."
    return error_response(422, message, fields=fields)


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    status = exc.status_code
    if isinstance(exc, AuthenticationError):
        message = "Sign in first: send a session cookie or an Authorization: Bearer token."
    else:
        message = str(exc)
    response = error_response(status, message)
    if isinstance(exc, Throttled) and exc.wait:
        response["Retry-After"] = str(int(exc.wait) + 1)
    return response


def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    message = str(exc) if exc.args and isinstance(exc.args[0], str) else ""
    # get_object_or_404's own words name the model ("No Sequence matches…"): keep ours.
    if not message or message.startswith("No "):
        message = "Not found."
    return error_response(404, message)


def _crash(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path)
    got_request_exception.send(sender=None, request=request)
    return error_response(500, "Something went wrong on our side. Please try again later.")


def install(api: NinjaAPI) -> None:
    # ninja's stubs type a handler's exception as "instance or class"; ours get instances.
    api.add_exception_handler(ValidationError, _validation)  # type: ignore[arg-type]
    api.add_exception_handler(HttpError, _http_error)  # type: ignore[arg-type]
    api.add_exception_handler(Http404, _not_found)  # type: ignore[arg-type]
    api.add_exception_handler(Exception, _crash)  # type: ignore[arg-type]


def not_found_view(request: HttpRequest, path: str = "") -> HttpResponse:
    return error_response(404, "No such address in the API: see /api/ for what there is.")
