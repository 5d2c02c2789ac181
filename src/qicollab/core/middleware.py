"""Request middleware: the current collaborative for the header and switcher."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

SESSION_KEY = "current_collaborative_id"


class CurrentCollaborativeMiddleware:
    """Sets ``request.collaborative``: the one chosen in the switcher, else the first of theirs.

    Lazy, so pages that never show it (the API, static files) pay nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.collaborative = SimpleLazyObject(lambda: _current(request))  # type: ignore[attr-defined]
        return self.get_response(request)


def _current(request: HttpRequest) -> object | None:
    from qicollab.organisations.selectors import switchable_collaboratives

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    choices = switchable_collaboratives(viewer=user)
    wanted = request.session.get(SESSION_KEY)
    if wanted is not None:
        chosen = choices.filter(pk=wanted).first()
        if chosen is not None:
            return chosen
    return choices.first()
