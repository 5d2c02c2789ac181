"""Reads: a person's own notifications and settings, and nothing of anyone else's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from qicollab.accounts.models import Person
from qicollab.notifications.kinds import KINDS, Frequency, Kind
from qicollab.notifications.models import Notification, Preference

_COUNT_ATTR = "_qicollab_unread_notifications"


def notification_list(*, viewer: Any, unread_only: bool = False) -> QuerySet[Notification]:
    """The viewer's notifications, newest first (an anonymous viewer has none)."""
    if not getattr(viewer, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient_id=viewer.pk).select_related("actor")
    return qs.filter(read_at__isnull=True) if unread_only else qs


def token_person(*, pk: int) -> Person | None:
    """The active person a signed settings link names (the link itself is the authority)."""
    return Person.objects.filter(pk=pk, is_active=True).first()


def notification_get(*, viewer: Any, pk: int) -> Notification | None:
    """One of the viewer's notifications; ``None`` for anyone else's (a 404 for the page)."""
    return notification_list(viewer=viewer).filter(pk=pk).first()


def unread_count(*, viewer: Any) -> int:
    """How many notifications the viewer has not read: one indexed count, once per request.

    Cached on the user object, which lives as long as the request.
    """
    if not getattr(viewer, "is_authenticated", False):
        return 0
    cached: int | None = getattr(viewer, _COUNT_ATTR, None)
    if cached is None:
        cached = Notification.objects.filter(recipient_id=viewer.pk, read_at__isnull=True).count()
        setattr(viewer, _COUNT_ATTR, cached)
    return cached


def forget_unread_count(viewer: Any) -> None:
    """Drop the cached count (after marking read within the same request)."""
    if hasattr(viewer, _COUNT_ATTR):
        delattr(viewer, _COUNT_ATTR)


@dataclass(frozen=True)
class Setting:
    kind: Kind
    frequency: str
    chosen: bool

    @property
    def frequency_label(self) -> str:
        return str(Frequency(self.frequency).label)


def preferences(*, person: Any) -> list[Setting]:
    """Every kind with the person's setting (their choice, else the default), in KINDS order."""
    chosen = dict(Preference.objects.filter(person_id=person.pk).values_list("kind", "frequency"))
    return [Setting(k, chosen.get(k.key, str(k.default)), k.key in chosen) for k in KINDS]
