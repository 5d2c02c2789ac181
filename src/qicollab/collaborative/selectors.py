"""Reads for the collaborative hub, always scoped by the viewer.

A workstream's or theme's page is readable by whoever may see its collaborative; the projects
on it are only those the viewer may read (``projects.selectors.project_list``), and evidence
counts count only those projects too, so a count never reveals a private project.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from qicollab.collaborative.models import (
    PrincipleEvidence,
    ProgrammeGoal,
    Theme,
    ThemePrinciple,
    Workstream,
)
from qicollab.organisations.models import Collaborative
from qicollab.organisations.selectors import collaborative_get
from qicollab.projects.models import Project
from qicollab.projects.selectors import project_list, visible_projects


def workstream_get(*, viewer: Any, collab_slug: str, slug: str) -> Workstream | None:
    collab = collaborative_get(viewer=viewer, slug=collab_slug)
    if collab is None:
        return None
    return (
        Workstream.objects.filter(collaborative=collab, slug=slug)
        .select_related("collaborative")
        .prefetch_related("leads")
        .first()
    )


def workstream_projects(*, viewer: Any, workstream: Workstream) -> QuerySet[Project]:
    return project_list(viewer=viewer, workstream=workstream)


def workstream_goals(*, workstream: Workstream) -> QuerySet[ProgrammeGoal]:
    return ProgrammeGoal.objects.filter(workstream=workstream).select_related("collaborative")


def workstreams(*, collaborative: Collaborative) -> QuerySet[Workstream]:
    return Workstream.objects.filter(collaborative=collaborative).prefetch_related("leads")


def theme_get(*, viewer: Any, collab_slug: str, slug: str) -> Theme | None:
    collab = collaborative_get(viewer=viewer, slug=collab_slug)
    if collab is None:
        return None
    return (
        Theme.objects.filter(collaborative=collab, slug=slug)
        .select_related("collaborative")
        .prefetch_related("principles")
        .first()
    )


def themes(*, collaborative: Collaborative) -> QuerySet[Theme]:
    return Theme.objects.filter(collaborative=collaborative).prefetch_related("principles")


@dataclass(frozen=True)
class PrincipleRow:
    principle: ThemePrinciple
    projects: list[Project]  # visible projects evidencing it

    @property
    def count(self) -> int:
        return len(self.projects)


def theme_evidence(*, viewer: Any, theme: Theme) -> list[PrincipleRow]:
    """Each principle with the projects the viewer may see that evidence it (two queries)."""
    principles = list(theme.principles.all())
    visible = visible_projects(viewer=viewer).values("pk")
    by_principle: dict[int, list[Project]] = defaultdict(list)
    for ev in (
        PrincipleEvidence.objects.filter(principle__theme=theme, project__in=visible)
        .select_related("project")
        .order_by("project__title")
    ):
        by_principle[ev.principle_id].append(ev.project)
    return [PrincipleRow(p, by_principle.get(p.pk, [])) for p in principles]


def theme_counts(*, viewer: Any, collaborative: Collaborative) -> dict[int, dict[int, int]]:
    """Theme id -> principle id -> number of visible projects evidencing it (one query)."""
    visible = visible_projects(viewer=viewer).values("pk")
    out: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for theme_id, principle_id in PrincipleEvidence.objects.filter(
        principle__theme__collaborative=collaborative, project__in=visible
    ).values_list("principle__theme_id", "principle_id"):
        out[theme_id][principle_id] += 1
    return out


def evidence_for(*, project: Project, theme: Theme) -> dict[int, PrincipleEvidence]:
    return {
        ev.principle_id: ev
        for ev in PrincipleEvidence.objects.filter(project=project, principle__theme=theme)
    }


def goal_list(*, collaborative: Collaborative) -> QuerySet[ProgrammeGoal]:
    return ProgrammeGoal.objects.filter(collaborative=collaborative).select_related(
        "collaborative", "workstream"
    )


def goal_get(*, collaborative: Collaborative, slug: str) -> ProgrammeGoal | None:
    return goal_list(collaborative=collaborative).filter(slug=slug).first()
