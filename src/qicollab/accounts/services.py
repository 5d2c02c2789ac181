"""Writes to people: profiles, invitations and API tokens."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from qicollab.accounts.models import Person
from qicollab.core.services import apply_fields, save_as


@transaction.atomic
def person_update(*, actor: Person, person: Person, data: dict[str, Any]) -> Person:
    """Update a person's profile fields."""
    if apply_fields(person, data):
        person._history_user = actor  # type: ignore[attr-defined]
        person.save()
    return person


__all__ = ["person_update", "save_as"]
