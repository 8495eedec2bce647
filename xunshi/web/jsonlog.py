"""The production log: one JSON object per line on standard output, for journald or a
collector, each line carrying the request id that nginx gave the request (X-Request-ID).

A line holds the time, the level, the logger, the message, the request id and, for an error,
the exception's traceback: never the request itself (Django's request loggers attach it to the
record; it is not written), its body, or a form's fields. Written without a library on
purpose: python-json-logger writes every extra attribute of a record (Django's loggers add
`request`), so it would need a filter to keep case data out; here the fields are a fixed list,
and the formatter is the few lines below.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

__all__ = ["JsonFormatter", "RequestIdFilter", "RequestIdMiddleware", "request_id"]

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
_VALID_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestIdMiddleware:
    """Take the request id nginx set (or make one), keep it for the log lines of this request
    and send it back in X-Request-ID, so that a user's report can be matched with the log."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        rid = given if _VALID_ID.fullmatch(given) else uuid.uuid4().hex
        token = request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = rid
        return response


class RequestIdFilter(logging.Filter):
    """Put the current request's id on every record (empty outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One record as one line of JSON, of a fixed set of fields."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or request_id.get(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)
