"""Writes for the collaborative hub: a project marks (or unmarks) a theme principle as evidenced."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from qicollab.collaborative.models import PrincipleEvidence, ThemePrinciple
from qicollab.core.services import delete_as, save_as
from qicollab.projects.models import Project

# Evidence is part of the project's content: whoever may edit the project may claim it.
PERM = "projects.change_project"


def _check(actor: Any, project: Project, principle: ThemePrinciple) -> None:
    if not actor.has_perm(PERM, project):
        raise PermissionDenied("Only the project's team and coordinators can mark its evidence.")
    if principle.theme.collaborative_id != project.collaborative_id:
        raise ValidationError(
            {
                "project": "This project belongs to another collaborative, so it cannot evidence "
                "this theme's principles."
            }
        )


@transaction.atomic
def principle_evidence_mark(
    *, actor: Any, project: Project, principle: ThemePrinciple, note: str = ""
) -> PrincipleEvidence:
    """Record (or update the note of) the project's evidence of the principle."""
    _check(actor, project, principle)
    ev = (
        PrincipleEvidence.objects.select_for_update()
        .filter(project=project, principle=principle)
        .first()
    )
    if ev is None:
        ev = PrincipleEvidence(project=project, principle=principle)
    ev.note = note.strip()
    ev.marked_by = actor
    ev.marked_at = timezone.now()
    save_as(ev, actor)
    return ev


@transaction.atomic
def principle_evidence_unmark(*, actor: Any, project: Project, principle: ThemePrinciple) -> bool:
    """Withdraw the claim; ``True`` if there was one."""
    _check(actor, project, principle)
    ev = PrincipleEvidence.objects.filter(project=project, principle=principle).first()
    if ev is None:
        return False
    delete_as(ev, actor)
    return True
