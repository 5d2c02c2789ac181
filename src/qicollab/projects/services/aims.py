"""Writes to a project's aim."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from qicollab.accounts.models import Person
from qicollab.core.services import apply_fields, check_version, save_as
from qicollab.projects.models import Aim, Project

AIM_FIELDS = (
    "statement",
    "direction",
    "measure_text",
    "population",
    "setting",
    "baseline_value",
    "target_value",
    "unit",
    "target_date",
)


def aim_of(project: Project) -> Aim:
    """The project's aim; an empty one (unsaved) if it has none yet."""
    try:
        return project.aim
    except Aim.DoesNotExist:
        return Aim(project=project)


@transaction.atomic
def aim_update(
    *, actor: Person, project: Project, data: dict[str, Any], loaded_version: str = ""
) -> Aim:
    """Save the aim (drafts are allowed: ``smart_check`` says what is missing).

    Raises ``EditConflict`` if someone saved the aim after ``loaded_version``.
    """
    aim = aim_of(project)
    if aim.pk is not None:
        check_version(aim, loaded_version)
    changed = apply_fields(aim, {k: v for k, v in data.items() if k in AIM_FIELDS})
    if changed or aim.pk is None:
        save_as(aim, actor)
    return aim
