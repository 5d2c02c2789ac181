"""Request middleware: request body limits (the current collaborative: organisations)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpRequest, HttpResponse, JsonResponse

# Read an unsized (chunked) body in pieces this big, so a refusal reads at most this much
# past the limit.
_CHUNK = 64 * 1024


def body_limit(request: HttpRequest) -> int:
    """The most bytes this request's body may have: its route's limit, else the default."""
    match = request.resolver_match
    limits: dict[str, int] = getattr(settings, "REQUEST_BODY_LIMITS", {})
    if match is not None and match.view_name in limits:
        return int(limits[match.view_name])
    return int(settings.REQUEST_MAX_BODY_BYTES)


class RequestSizeLimitMiddleware:
    """Refuse a request body over its route's limit with 413, before anything reads it.

    A declared ``Content-Length`` over the limit is refused without reading a byte. A body
    without one (``Transfer-Encoding: chunked``) is read here in pieces up to the limit: past
    it, 413 at once; within it, the body is kept (spooled to disk when large) and handed on
    with its length, so the view reads it like any other. Limits are by URL name
    (``REQUEST_BODY_LIMITS``, else ``REQUEST_MAX_BODY_BYTES``), hence ``process_view``: the
    route is known, and it runs before CSRF's ``process_view`` reads a POST.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        limit = body_limit(request)
        declared = request.META.get("CONTENT_LENGTH")
        if declared:
            try:
                size = int(declared)
            except ValueError:
                return None  # Django reads no body for a malformed length
            return too_large(request, limit=limit, size=size) if size > limit else None
        if _unsized_body(request):
            return _buffer_unsized(request, limit)
        return None


def _unsized_body(request: HttpRequest) -> bool:
    encoding = request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
    return "chunked" in encoding or bool(request.META.get("wsgi.input_terminated"))


def _buffer_unsized(request: HttpRequest, limit: int) -> HttpResponse | None:
    stream = request.META.get("wsgi.input")
    if stream is None:
        return None
    # Not a context manager: the file becomes the request's stream, freed with the request.
    spooled = tempfile.SpooledTemporaryFile(  # noqa: SIM115
        max_size=int(settings.FILE_UPLOAD_MAX_MEMORY_SIZE)
    )
    total = 0
    while True:
        chunk = stream.read(min(_CHUNK, limit + 1 - total))
        if not chunk:
            break
        total += len(chunk)
        if total > limit:
            spooled.close()
            return too_large(request, limit=limit, size=None)
        spooled.write(chunk)
    spooled.seek(0)
    # WSGIRequest took its length from CONTENT_LENGTH, absent here, and so would read
    # nothing: give it the buffered body and its true length.
    request.META["CONTENT_LENGTH"] = str(total)
    request._stream = LimitedStream(spooled, total)  # type: ignore[arg-type,assignment]
    return None


def _megabytes(n: int) -> str:
    mb = n / (1024 * 1024)
    return f"{mb:.0f} MB" if mb >= 10 or mb == int(mb) else f"{mb:.1f} MB"


def too_large(request: HttpRequest, *, limit: int, size: int | None) -> HttpResponse:
    """413: a JSON ``{"detail": …}`` under /api/, else the NHS.UK error page."""
    sent = f"The request is {_megabytes(size)}" if size is not None else "The request is larger"
    allowed = f"at most {_megabytes(limit)}"
    match = request.resolver_match
    if match is not None and "api" in match.namespaces:
        return JsonResponse(
            {
                "detail": f"{sent}; this endpoint accepts {allowed}. "
                "Send the data in several smaller requests."
            },
            status=413,
        )
    from qicollab.core.views import request_too_large

    return request_too_large(request, sent=sent, allowed=allowed)
