"""Password reset by email, and password change for logged-in people.

Thin function views over Django's forms and ``default_token_generator``. The reset request
always answers the same way, so the page cannot be used to find out who has an account.
"""

from __future__ import annotations

import logging
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.formats import date_format
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from qicollab.accounts.emails import absolute_url, queue_templated_email
from qicollab.accounts.forms import (
    NhsPasswordChangeForm,
    NhsSetPasswordForm,
    PasswordResetRequestForm,
)
from qicollab.accounts.models import Person

logger = logging.getLogger(__name__)

# The reset token moves from the URL into the session, then the page reloads without it,
# so the token cannot leak through the Referer header or browser history (as Django does).
RESET_SESSION_KEY = "_password_reset_token"
URL_PLACEHOLDER = "set-password"
# At most this many reset emails per address per hour: stops the form being used to
# flood someone's inbox, while a person who mistypes can still ask again.
RESETS_PER_HOUR = 5
# Reset *requests* are throttled too, whether or not the address has an account (so the
# answer reveals nothing): per address, and per client address so that one machine cannot
# walk through a list of emails.
REQUESTS_PER_HOUR_PER_EMAIL = 5
REQUESTS_PER_HOUR_PER_IP = 20
THROTTLED = (
    "There have been too many requests to reset a password from here or for this email "
    "address. Wait an hour, then try again. If you are still locked out, ask your "
    "organisation's programme manager for help."
)


def _count(key: str) -> int:
    """Count one request against ``key`` for an hour (the window starts at the first)."""
    cache.add(key, 0, 60 * 60)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 60 * 60)
        return 1


def reset_request_throttled(request: HttpRequest, email: str) -> bool:
    """Count this reset request; ``True`` if its address or its client asked too often."""
    by_email = _count(f"password-reset-request:email:{email.strip().lower()}")
    by_ip = _count(f"password-reset-request:ip:{request.META.get('REMOTE_ADDR', '')}")
    return by_email > REQUESTS_PER_HOUR_PER_EMAIL or by_ip > REQUESTS_PER_HOUR_PER_IP


def _send_reset_email(person: Person) -> None:
    key = f"password-reset-sent:{person.pk}"
    sent = cache.get(key, 0)
    if sent >= RESETS_PER_HOUR:
        logger.warning("Password reset emails for person %s are being throttled", person.pk)
        return
    cache.set(key, sent + 1, 60 * 60)
    path = reverse(
        "accounts:password_reset_confirm",
        args=[
            urlsafe_base64_encode(force_bytes(person.pk)),
            default_token_generator.make_token(person),
        ],
    )
    # Sent by the worker: the page must look the same, and take as long, whether or not the
    # account exists (an inline send would make a known address measurably slower).
    queue_templated_email(
        to=person.email,
        template="password_reset",
        context={
            "person": person,
            "link": absolute_url(path),
            "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        },
    )


@csrf_protect
@never_cache
def reset_request(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    status = 200
    if (
        request.method == "POST"
        and form.is_valid()
        and reset_request_throttled(request, form.cleaned_data["email"])
    ):
        form.add_error(None, THROTTLED)
        status = 429
    if request.method == "POST" and form.is_valid():
        for person in form.get_users(form.cleaned_data["email"]):
            _send_reset_email(person)
        request.session["password_reset_email"] = form.cleaned_data["email"]
        return redirect("accounts:password_reset_sent")
    return render(
        request,
        "accounts/password_reset.jinja",
        {"page_title": "Reset your password", "form": form},
        status=status,
    )


def reset_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/password_reset_sent.jinja",
        {
            "page_title": "Check your email",
            "email": request.session.get("password_reset_email", ""),
            "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        },
    )


def _person_from_uid(uidb64: str) -> Person | None:
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    return Person.objects.filter(pk=pk, is_active=True).first()


@sensitive_post_parameters("new_password1", "new_password2")
@csrf_protect
@never_cache
def reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    person = _person_from_uid(uidb64)
    if person is not None and token != URL_PLACEHOLDER:
        if default_token_generator.check_token(person, token):
            request.session[RESET_SESSION_KEY] = token
            return redirect("accounts:password_reset_confirm", uidb64, URL_PLACEHOLDER)
        person = None
    session_token = request.session.get(RESET_SESSION_KEY, "")
    if person is None or not default_token_generator.check_token(person, session_token):
        return render(
            request,
            "accounts/password_reset_invalid.jinja",
            {"page_title": "This password reset link does not work"},
            status=410,
        )
    form = NhsSetPasswordForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        del request.session[RESET_SESSION_KEY]
        # A successful reset proves who they are: lift any login lockout for them.
        axes_reset(username=person.email)
        _notify_changed(person)
        return redirect("accounts:password_reset_done")
    return render(
        request,
        "accounts/password_reset_confirm.jinja",
        {"page_title": "Choose a new password", "form": form, "person": person},
    )


def reset_done(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/password_reset_done.jinja",
        {"page_title": "Your password has been changed"},
    )


def _notify_changed(person: Person) -> None:
    """Tell the person their password changed, so they notice if it was not them."""
    context: dict[str, Any] = {
        "person": person,
        "when": date_format(timezone.localtime(), "j F Y \\a\\t H:i"),
        "reset_link": absolute_url(reverse("accounts:password_reset")),
    }
    # The change itself succeeded; the worker retries the notice if the mail server fails.
    queue_templated_email(to=person.email, template="password_changed", context=context)


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@csrf_protect
@never_cache
@login_required
def change(request: HttpRequest) -> HttpResponse:
    form = NhsPasswordChangeForm(request.user, request.POST or None)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        person = form.save()
        # Keep this session logged in; every other session of theirs is logged out.
        update_session_auth_hash(request, person)
        _notify_changed(person)
        messages.success(request, "Your password has been changed.")
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/password_change.jinja",
        {
            "page_title": "Change your password",
            "breadcrumbs": [
                ("Your profile", reverse("accounts:profile")),
                ("Change your password", ""),
            ],
            "form": form,
        },
    )
