"""Notifications made through the service, as the apps make them."""

from __future__ import annotations

from typing import Any

from qicollab.notifications.models import Notification
from qicollab.notifications.services import notify


def tell(
    person: Any, *, text: str = "Something happened", kind: str = "measures.signal", **kw: Any
) -> Notification:
    """One notification for ``person`` (no actor, no target, a link to the home page)."""
    made = notify(
        recipients=[person],
        kind=kind,
        actor=kw.pop("actor", None),
        target=kw.pop("target", None),
        text=text,
        url=kw.pop("url", "/"),
        **kw,
    )
    assert len(made) == 1
    return made[0]
