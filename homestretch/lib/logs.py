"""The request id, and the logging filter that puts it on every log line.

A request's id is set by `homestretch.ops.middleware.RequestIdMiddleware` (nginx's
`X-Request-ID` behind a trusted proxy, else a new one) and travels with the tasks the
request enqueues (`homestretch.ops.rq`), so a transcode's log lines carry the id of the
upload that started it. It lives in a context variable: each request, thread or job has
its own.
"""

import logging
import re
import uuid
from contextvars import ContextVar, Token

_request_id: ContextVar[str] = ContextVar("request_id", default="")

# What we accept from a proxy: nginx's $request_id is 32 hex digits; allow a little more
# (a load balancer's UUID), never anything that could break a log line.
VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def new_request_id() -> str:
    return uuid.uuid4().hex


def current_request_id() -> str:
    """The id of the request or job this code runs for; empty outside of one."""
    return _request_id.get()


def set_request_id(value: str) -> Token[str]:
    """Make `value` the current id; returns a token for `reset_request_id`."""
    return _request_id.set(value)


def reset_request_id(token: Token[str]) -> None:
    _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record, so formatters can name it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = current_request_id()
        return True
