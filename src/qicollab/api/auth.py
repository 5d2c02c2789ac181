"""API authentication: personal tokens for scripts, the session (with CSRF) for pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer
from ninja.security.session import SessionAuth

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


session_auth: APIKeyCookie = PersonSessionAuth(csrf=True)
token_auth = TokenAuth()
