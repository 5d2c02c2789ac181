"""Shared service helpers: audit attribution and edit-conflict detection."""

from __future__ import annotations

from typing import Any

from django.db import models


class EditConflict(Exception):
    """Someone else saved the object after this person opened it."""

    def __init__(self, current: models.Model) -> None:
        super().__init__("This record was changed by someone else while you were editing it.")
        self.current = current


def version_token(obj: Any) -> str:
    """The token a form carries to detect concurrent edits (the last-saved time)."""
    updated = getattr(obj, "updated_at", None)
    return updated.isoformat() if updated else ""


def check_version(obj: Any, loaded_version: str | None) -> None:
    """Raise :class:`EditConflict` if ``obj`` changed since ``loaded_version`` was read.

    The row is re-read inside the caller's transaction, so two saves racing each other
    cannot both pass. An empty token (an API client that does not send one) skips the check.
    """
    if not loaded_version:
        return
    fresh = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    if version_token(fresh) != loaded_version:
        raise EditConflict(fresh)


def save_as(obj: models.Model, actor: Any, **kwargs: Any) -> None:
    """Save, recording ``actor`` as the author of the change in the audit history."""
    obj._history_user = actor  # type: ignore[attr-defined]
    obj.full_clean()
    obj.save(**kwargs)


def apply_fields(obj: models.Model, data: dict[str, Any]) -> list[str]:
    """Set the given attributes and return the names that really changed."""
    changed = []
    for name, value in data.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed
