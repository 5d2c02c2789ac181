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


def current_version(client: Client, path: str) -> str | None:
    """The ``version`` a GET of ``path`` shows this client, if it can read one."""
    response = client.get(path)
    if response.status_code != 200:
        return None
    data = response.json()
    return data.get("version") if isinstance(data, dict) else None


def call(client: Client, method: str, path: str, body: Any = None) -> Any:
    """Send ``body`` as JSON with any method; returns the response.

    A PATCH or PUT that names no version is sent as a careful client would: with the
    version it has just read, in an ``If-Match`` header (the API answers 428 without one).
    Tests of the version rules send ``version`` themselves or use the client directly.
    """
    headers: dict[str, str] = {}
    if (
        method.upper() in {"PATCH", "PUT"}
        and isinstance(body, dict)
        and not {"version", "loaded_version"} & body.keys()
    ):
        version = current_version(client, path)
        if version:
            headers["If-Match"] = version
    if body is None:
        return getattr(client, method.lower())(path, headers=headers)
    return getattr(client, method.lower())(
        path, data=json.dumps(body), content_type="application/json", headers=headers
    )


def pytest_configure(config: Any) -> None:
    config.addinivalue_line(
        "markers", "fuzz: schemathesis over the whole API schema (FUZZ_EXAMPLES per operation)"
    )
