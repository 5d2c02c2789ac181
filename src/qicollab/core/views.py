"""Static information pages and error pages (the home page is ``organisations.views_home``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.jinja", {"page_title": "Accessibility statement"})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.jinja", {"page_title": "Privacy"})


def _error(request: HttpRequest, status: int, title: str, body: str) -> HttpResponse:
    return render(
        request,
        "core/error.jinja",
        {"page_title": title, "title": title, "body": body, "status": status},
        status=status,
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        400,
        "Sorry, there is a problem with the request",
        "Check the address or go back and try again.",
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        403,
        "You do not have permission to see this page",
        "If you think you should, ask your organisation's programme manager to give you access.",
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        404,
        "Page not found",
        "If you typed the web address, check it is correct. "
        "If you pasted it, check you copied the entire address.",
    )


def request_too_large(request: HttpRequest, *, sent: str, allowed: str) -> HttpResponse:
    """413 from the request size middleware: what was sent, what this page takes."""
    return _error(
        request,
        413,
        "The file or form you sent is too large",
        f"{sent}; this page accepts {allowed}. If you were uploading a file, make it smaller "
        "(for example, export a PDF for screen rather than print, or resize an image), then "
        "go back and try again.",
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        "Sorry, there is a problem with the service",
        "Try again later. Nothing you entered has been lost if you go back.",
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        "Your session has expired",
        "For your security, the form could not be sent. Go back, reload the page and try again.",
    )
