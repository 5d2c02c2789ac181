"""Structured logs and request ids.

Every request gets an id: the proxy's ``X-Request-ID`` when it is well formed, else a new
one. It is kept in a context variable for the request (and for a job started by it, see
``jobs.services``), added to every log record by :class:`RequestIdFilter`, and returned in
the response's ``X-Request-ID`` header, so a person's report, the proxy's access log, the
app's log lines and the job's log lines can be joined on one value.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # settings import this module: keep it free of Django imports at runtime
    from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
_META_KEY = "HTTP_X_REQUEST_ID"
# Letters, digits and . _ : - only (no spaces, quotes or control characters that could forge a
# log line), at most 64 characters (Job.request_id's length).
_WELL_FORMED = re.compile(r"[A-Za-z0-9._:-]{1,64}")

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    """The id of the request (or job) this code runs for, or ``None`` outside one."""
    return _request_id.get()


def new_request_id() -> str:
    """A fresh random request id (32 hex digits)."""
    return uuid.uuid4().hex


def request_id_from(value: str | None) -> str:
    """``value`` when it is a well-formed request id, else a new one."""
    if value and _WELL_FORMED.fullmatch(value):
        return value
    return new_request_id()


@contextmanager
def request_id_bound(value: str | None) -> Iterator[None]:
    """Run the block with ``value`` as the current request id (restored afterwards)."""
    token = _request_id.set(value or None)
    try:
        yield
    finally:
        _request_id.reset(token)


class RequestIdMiddleware:
    """Give each request an id, keep it for the request's log lines, return it in a header.

    First in ``MIDDLEWARE``, so even a redirect or a refusal by later middleware carries it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = request_id_from(request.META.get(_META_KEY))
        request.request_id = rid  # type: ignore[attr-defined]
        with request_id_bound(rid):
            response = self.get_response(request)
        response[HEADER] = rid
        return response


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id`` (``None`` outside a request or job); filters nothing out."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            # Django logs a 4xx/5xx response after the middleware has returned (and the
            # context variable is reset), but passes the request along: read it from there.
            request = getattr(record, "request", None)
            rid = getattr(request, "request_id", None)
            record.request_id = rid if isinstance(rid, str) else current_request_id()
        return True


class ExpectedRefusalFilter(logging.Filter):
    """Drops the traceback from the log line of a refusal the app meant to give (a 4xx).

    Django logs a ``PermissionDenied`` (403) and a ``SuspiciousOperation`` (400) with the
    exception attached, so each would print a traceback though nothing is broken; a 404
    already logs one line. Errors (5xx) keep their traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        refused = isinstance(status, int) and 400 <= status < 500
        if refused or (status is None and record.name.startswith("django.security")):
            record.exc_info = None
            record.exc_text = None
        return True


# LogRecord's own attributes: everything else on a record came from ``extra=``.
_STANDARD = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", None, None)).keys() | {"message", "asctime"}
)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request id, extras.

    Extras given with ``extra=`` are included when they are plain values (Django's
    ``request`` object is not); a traceback is one ``exception`` string, so the line stays
    one line.
    """

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for key, value in vars(record).items():
            if key in _STANDARD or key in entry:
                continue
            if value is None or isinstance(value, str | int | float | bool):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def logging_config(*, log_format: str, level: str) -> dict[str, Any]:
    """The ``LOGGING`` setting: one console handler, JSON or text, with request ids.

    Django's own ``django`` logger is given no handlers of its own, so its records go once
    through the root handler (and its formatter and filters) instead of also through
    Django's default console handler.
    """
    if log_format not in ("json", "text"):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("LOG_FORMAT must be json or text.")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "qicollab.core.logging.RequestIdFilter"},
            "expected_refusals": {"()": "qicollab.core.logging.ExpectedRefusalFilter"},
        },
        "formatters": {
            "json": {"()": "qicollab.core.logging.JsonFormatter"},
            "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["request_id", "expected_refusals"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django": {"handlers": [], "level": "INFO", "propagate": True},
            "axes": {"level": "WARNING"},
        },
    }
