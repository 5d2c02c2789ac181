"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The collaboratives for the header switcher, fetched only if the page shows them."""
    from qicollab.organisations.selectors import switchable_collaboratives

    return {
        "switch_choices": SimpleLazyObject(
            lambda: list(switchable_collaboratives(viewer=request.user))
        )
    }
