"""Writes to PDSA cycles."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max

from qicollab.accounts.models import Person
from qicollab.core.services import apply_fields, attribute, check_version, delete_as, save_as
from qicollab.projects.models import ChangeIdea, PdsaCycle, Project
from qicollab.projects.services.projects import ProjectError

PDSA_FIELDS = frozenset(
    f.name
    for f in PdsaCycle._meta.concrete_fields
    if f.name not in ("id", "project", "created_at", "updated_at")
)


def _ideas(project: Project, ideas: Iterable[Any]) -> list[ChangeIdea]:
    ids = {getattr(i, "pk", i) for i in ideas}
    if not ids:
        raise ProjectError("Choose at least one change idea that this cycle tests.", "change_ideas")
    found = list(ChangeIdea.objects.filter(project=project, pk__in=ids))
    if len(found) != len(ids):
        raise ProjectError("Choose change ideas from this project.", "change_ideas")
    return found


def next_cycle_number(ideas: Iterable[ChangeIdea]) -> int:
    """One more than the highest cycle in the ramps of these change ideas."""
    top = PdsaCycle.objects.filter(change_ideas__in=list(ideas)).aggregate(m=Max("cycle_number"))
    return int(top["m"] or 0) + 1


@transaction.atomic
def pdsa_cycle_create(
    *, actor: Person, project: Project, data: dict[str, Any], change_ideas: Iterable[Any]
) -> PdsaCycle:
    """Plan a cycle; its number defaults to the next in the change ideas' ramp."""
    ideas = _ideas(project, change_ideas)
    data = {k: v for k, v in data.items() if not (k == "cycle_number" and not v)}
    cycle = PdsaCycle(project=project)
    apply_fields(cycle, {k: v for k, v in data.items() if k in PDSA_FIELDS})
    if not cycle.cycle_number:
        cycle.cycle_number = next_cycle_number(ideas)
    save_as(cycle, actor)
    attribute(cycle, actor)
    cycle.change_ideas.set(ideas)
    return cycle


@transaction.atomic
def pdsa_cycle_update(
    *,
    actor: Person,
    cycle: PdsaCycle,
    data: dict[str, Any],
    change_ideas: Iterable[Any] | None = None,
    loaded_version: str = "",
) -> PdsaCycle:
    """Record the next stage of a cycle; raises ``EditConflict`` on a concurrent edit."""
    check_version(cycle, loaded_version)
    data = {k: v for k, v in data.items() if not (k == "cycle_number" and not v)}
    ideas = _ideas(cycle.project, change_ideas) if change_ideas is not None else None
    if apply_fields(cycle, {k: v for k, v in data.items() if k in PDSA_FIELDS}):
        save_as(cycle, actor)
    if ideas is not None:
        attribute(cycle, actor)
        cycle.change_ideas.set(ideas)
    return cycle


@transaction.atomic
def pdsa_cycle_delete(*, actor: Person, cycle: PdsaCycle) -> None:
    delete_as(cycle, actor)
