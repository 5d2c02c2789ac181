"""Shared service helpers: refusals, audit attribution and edit-conflict detection."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models


class ServiceError(ValueError):
    """A change a service refuses because it breaks a business rule.

    The one family every app's refusals belong to (``ProjectError``, ``MeasureError`` …
    are subclasses), so a page puts any of them on its form with
    :func:`qicollab.core.forms.add_service_error` and the API answers any of them 422 in
    one handler. ``message`` is shown to the person as it is; ``field`` names the form
    field it belongs to (``None``: the form as a whole). A refusal of several fields at
    once carries them in ``errors`` (field name, or ``None``, to its messages).

    It stays a ``ValueError`` so that callers that caught the apps' old errors as one
    still do.
    """

    def __init__(
        self,
        message: str = "",
        field: str | None = None,
        *,
        errors: dict[str | None, list[str]] | None = None,
    ) -> None:
        if errors is None:
            errors = {field: [message]}
        elif not message:
            message = next((m for ms in errors.values() for m in ms), "")
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = errors


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


def attribute(obj: models.Model, actor: Any) -> None:
    """Record ``actor`` as the author of the next change to ``obj`` in its audit history.

    simple-history reads the author from the instance, including for the history rows a
    many-to-many ``.set()`` writes, so call this before changing an object's relations.
    """
    # simple-history's documented hook: an attribute models do not declare.
    setattr(obj, "_history_user", actor)  # noqa: B010


def save_as(obj: models.Model, actor: Any, **kwargs: Any) -> None:
    """Save, recording ``actor`` as the author of the change in the audit history."""
    attribute(obj, actor)
    obj.full_clean()
    obj.save(**kwargs)


def delete_as(obj: models.Model, actor: Any) -> None:
    """Delete, recording ``actor`` as the author of the deletion in the audit history."""
    attribute(obj, actor)
    obj.delete()


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
