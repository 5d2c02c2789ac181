"""Helpers for API tests: tokens made directly (as the token pages will), JSON calls."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from qicollab.accounts.models import ApiToken, hash_token


@pytest.fixture
def make_token(db: Any) -> Callable[..., str]:
    """``make_token(person, revoked=False)`` stores a token's hash and returns the raw key."""

    def _make(person: Any, *, revoked: bool = False) -> str:
        raw = ApiToken.generate_key()
        ApiToken.objects.create(
            person=person,
            name="test script",
            key_prefix=raw[:8],
            key_hash=hash_token(raw),
            revoked_at=timezone.now() if revoked else None,
        )
        return raw

    return _make


@pytest.fixture
def api_client(login: Any, make_token: Callable[..., str]) -> Callable[..., Client]:
    """``api_client(person, auth="session"|"token")``; ``None`` is an anonymous client.

    Token clients enforce CSRF like a real script's requests would be checked, to prove
    that a token needs none.
    """

    def _make(person: Any, auth: str = "session") -> Client:
        if person is None:
            return Client(enforce_csrf_checks=True)
        if auth == "token":
            raw = make_token(person)
            return Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {raw}"})
        return login(person)  # type: ignore[no-any-return]

    return _make


def call(client: Client, method: str, path: str, body: Any = None) -> Any:
    """Send ``body`` as JSON with any method; returns the response."""
    if body is None:
        return getattr(client, method.lower())(path)
    return getattr(client, method.lower())(
        path, data=json.dumps(body), content_type="application/json"
    )
