"""API authentication: personal tokens for scripts, the session (with CSRF) for pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.security.session import SessionAuth
from ninja.utils import check_csrf

from qicollab.accounts.models import ApiToken, hash_token


class TokenAuth(HttpBearer):
    """``Authorization: Bearer qic_…``. Only the token's hash is stored."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token.startswith(ApiToken.PREFIX):
            return None
        found = (
            ApiToken.objects.select_related("person")
            .filter(key_hash=hash_token(token), revoked_at__isnull=True, person__is_active=True)
            .first()
        )
        if found is None:
            return None
        # Record use at most once a minute so a busy feed does not write on every call.
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.person
        return found.person


class PersonSessionAuth(SessionAuth):
    """The browser session; unsafe methods need the CSRF token, as on the pages."""

    def _get_key(self, request: HttpRequest) -> str | None:
        # Without a logged-in session there is nothing a forged request could act as, so a
        # script with a missing or wrong token gets 401 (log in / send a token), not a
        # puzzling CSRF refusal.
        if not request.user.is_authenticated:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(
                403,
                "CSRF check failed. From a browser session, send the X-CSRFToken header with "
                "the value of the csrftoken cookie; scripts should use an API token instead.",
            )
        return request.COOKIES.get(self.param_name)


class _Visitor:
    """Marks a request let through without credentials (ninja needs a truthy result)."""

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        return "<anonymous visitor>"


VISITOR = _Visitor()


def anonymous_visitor(request: HttpRequest) -> Any:
    """For endpoints whose pages are public: no credentials is fine, wrong credentials is not.

    A script sending a revoked or mistyped token gets 401 rather than silently receiving
    only the public view.
    """
    if request.headers.get("Authorization"):
        return None
    return VISITOR


session_auth: APIKeyCookie = PersonSessionAuth(csrf=True)
token_auth = TokenAuth()
# Endpoints mirroring public pages: a token or session if given, otherwise an anonymous visitor.
public_auth = [token_auth, session_auth, anonymous_visitor]
