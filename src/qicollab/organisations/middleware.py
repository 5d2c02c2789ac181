"""The current collaborative: ``request.collaborative`` and the header switcher's choices."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from qicollab.organisations.selectors import switchable_collaboratives

SESSION_KEY = "current_collaborative_id"
_CHOICES_ATTR = "_qicollab_switch_choices"


class CurrentCollaborativeMiddleware:
    """Sets ``request.collaborative``: the one chosen in the switcher, else the first of theirs.

    Lazy, so pages that never show it (the API, static files) pay nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.collaborative = SimpleLazyObject(lambda: _current(request))  # type: ignore[attr-defined]
        return self.get_response(request)


def switch_choices(request: HttpRequest) -> list[Any]:
    """The collaboratives the signed-in person works in, read once per request.

    The header shows both the current collaborative and the switcher's list: both come from
    this one list (one query), not a query each.
    """
    cached: list[Any] | None = getattr(request, _CHOICES_ATTR, None)
    if cached is None:
        user = getattr(request, "user", None)
        cached = (
            list(switchable_collaboratives(viewer=user))
            if user is not None and user.is_authenticated
            else []
        )
        setattr(request, _CHOICES_ATTR, cached)
    return cached


def _current(request: HttpRequest) -> object | None:
    choices = switch_choices(request)
    if not choices:
        return None
    wanted = request.session.get(SESSION_KEY)
    chosen: object | None = None
    if wanted is not None:
        chosen = next((c for c in choices if c.pk == wanted), None)
    first: object = choices[0]
    return chosen if chosen is not None else first
