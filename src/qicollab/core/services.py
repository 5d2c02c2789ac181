"""Shared service helpers: audit attribution and edit-conflict detection."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
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


def _stored_values(obj: models.Model, names: list[str]) -> dict[str, Any]:
    """The values of ``names`` as the database holds them (``{}`` for an unsaved object).

    A ModelForm's validation writes the submitted values onto its instance before a service
    sees them, so comparing against the instance in memory would find "no change" and the
    edit would be lost. The row is the truth. Fields that are not concrete columns (or a
    row that has vanished) fall back to the object's own value.
    """
    if obj.pk is None or obj._state.adding:
        return {}
    columns = {}
    for name in names:
        try:
            field = obj._meta.get_field(name)
        except FieldDoesNotExist:  # a property or other attribute that is not a column
            continue
        if getattr(field, "concrete", False) and not field.many_to_many:
            columns[name] = field.attname  # type: ignore[union-attr]
    if not columns:
        return {}
    row = obj._meta.model._base_manager.filter(pk=obj.pk).values(*columns.values()).first()
    if row is None:
        return {}
    return {name: row[attname] for name, attname in columns.items()}


def _same(stored: Any, value: Any) -> bool:
    # A foreign key is stored as its id; the data carries the related object (or None).
    if isinstance(value, models.Model):
        return bool(stored == value.pk)
    return bool(stored == value)


def apply_fields(obj: models.Model, data: dict[str, Any]) -> list[str]:
    """Set the given attributes and return the names whose stored value really changes.

    Changes are judged against the saved row, not the object in memory, so an object that a
    form has already modified still reports (and saves) its changes.
    """
    stored = _stored_values(obj, list(data))
    changed = []
    for name, value in data.items():
        if name in stored:
            differs = not _same(stored[name], value)
        else:
            differs = bool(getattr(obj, name) != value)
        setattr(obj, name, value)
        if differs:
            changed.append(name)
    return changed
