"""The header's unread count: one indexed count, only if the page draws the header."""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError
from django.http import HttpRequest

from qicollab.notifications.selectors import unread_count


class _Count:
    """Called by the header; the count is read once per request (cached on the user)."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    def __call__(self) -> int:
        try:
            return unread_count(viewer=getattr(self.request, "user", None))
        except DatabaseError:
            # The error page drawn because the database failed must still draw its header.
            return 0


def notifications(request: HttpRequest) -> dict[str, Any]:
    return {"unread_notifications": _Count(request)}
