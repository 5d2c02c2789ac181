"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from qicollab.organisations.middleware import switch_choices


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The collaboratives for the header switcher, fetched only if the page shows them."""
    return {"switch_choices": SimpleLazyObject(lambda: switch_choices(request))}
