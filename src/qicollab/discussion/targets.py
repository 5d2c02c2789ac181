"""What a comment is about, and who may read and write there: always the target's own rules.

A target is found through its app's own scoped selector, so a thing the viewer may not see
is ``None`` (shown as 404) and a comment can never be more visible than its target.

* read a thread: anyone logged in who may see the target;
* write: someone who may see it and takes part in its collaborative (any role but
  "viewer"), or is on the project's team;
* a team-only coaching note: the collaborative's faculty and leads write it; the team, the
  collaborative's faculty and leads and its author read it;
* remove a comment: its author, or whoever manages the project (or, for a storyboard, the
  collaborative's faculty and leads).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from qicollab.accounts.roles import roles_for
from qicollab.discussion.models import Comment, TargetKind
from qicollab.organisations.models import AffiliationRole


@dataclass(frozen=True)
class Target:
    kind: str
    pk: int
    title: str
    url: str
    collaborative_id: int
    project: Any = None  # the project whose rules apply, if any
    periods: list[date] = field(default_factory=list)  # a measure's chart points

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.pk}"

    @property
    def label(self) -> str:
        return f"{TargetKind(self.kind).label}: {self.title}"


def for_project(project: Any) -> Target:
    return Target(
        TargetKind.PROJECT,
        project.pk,
        project.title,
        project.get_absolute_url(),
        project.collaborative_id,
        project,
    )


def for_measure(measure: Any, project: Any, periods: list[date] | None = None) -> Target:
    return Target(
        TargetKind.MEASURE,
        measure.pk,
        measure.name,
        measure.get_absolute_url(),
        project.collaborative_id,
        project,
        periods if periods is not None else [],
    )


def for_pdsa(cycle: Any, project: Any) -> Target:
    from django.urls import reverse

    return Target(
        TargetKind.PDSA,
        cycle.pk,
        f"PDSA {cycle.cycle_number}: {cycle.title}",
        reverse("projects:pdsa_detail", args=[project.slug, cycle.pk]),
        project.collaborative_id,
        project,
    )


def for_storyboard(sb: Any) -> Target:
    from django.urls import reverse

    return Target(
        TargetKind.STORYBOARD,
        sb.pk,
        sb.title,
        reverse("events:storyboard_gallery", args=[sb.session_id]),
        sb.session.collaborative_id,
        None,
    )


def resolve(*, viewer: Any, kind: str, pk: int) -> Target | None:
    """The target if ``viewer`` may see it, else ``None`` (404), via its app's selectors."""
    from qicollab.projects.selectors import visible_projects

    if not roles_for(viewer).is_authenticated:
        return None
    if kind == TargetKind.PROJECT:
        p = visible_projects(viewer=viewer).filter(pk=pk).first()
        return for_project(p) if p else None
    if kind == TargetKind.MEASURE:
        from qicollab.measures.selectors import measure_points, visible_measures

        m = visible_measures(viewer=viewer).filter(pk=pk).first()
        if m is None:
            return None
        periods = list(measure_points(measure=m).values_list("period", flat=True))
        return for_measure(m, m.project, periods)
    if kind == TargetKind.PDSA:
        from qicollab.projects.models import PdsaCycle

        c = (
            PdsaCycle.objects.filter(pk=pk, project__in=visible_projects(viewer=viewer))
            .select_related("project")
            .first()
        )
        return for_pdsa(c, c.project) if c else None
    if kind == TargetKind.STORYBOARD:
        from qicollab.events.storyboards import storyboard_get

        sb = storyboard_get(viewer=viewer, pk=pk)
        return for_storyboard(sb) if sb else None
    return None


def _on_team(viewer: Any, target: Target) -> bool:
    from qicollab.projects.rules import project_role

    return target.project is not None and project_role(viewer, target.project) is not None


def _coordinates(viewer: Any, target: Target) -> bool:
    r = roles_for(viewer)
    return r.is_superuser or target.collaborative_id in r.coordinator_collab_ids


def can_read(viewer: Any, target: Target) -> bool:
    """Anyone logged in who could open the target (``resolve`` already checked that)."""
    return roles_for(viewer).is_authenticated


def can_write(viewer: Any, target: Target) -> bool:
    r = roles_for(viewer)
    if not r.is_authenticated:
        return False
    if r.is_superuser or _on_team(viewer, target) or _coordinates(viewer, target):
        return True
    if target.collaborative_id in r.sponsor_collab_ids:
        return True
    if target.collaborative_id not in r.member_collab_ids:
        return False
    # Someone at a member organisation, with a role that takes part (not a viewer).
    members = r.orgs_in(frozenset({target.collaborative_id}))
    return any(
        role != AffiliationRole.VIEWER for org, role in r.org_roles.items() if org in members
    )


def can_write_team_only(viewer: Any, target: Target) -> bool:
    """Faculty and leads of the collaborative, on a project's thread."""
    return target.project is not None and _coordinates(viewer, target)


def sees_team_only(viewer: Any, target: Target) -> bool:
    return _on_team(viewer, target) or _coordinates(viewer, target)


def can_see_comment(viewer: Any, target: Target, comment: Comment) -> bool:
    if not comment.team_only:
        return True
    return comment.author_id == getattr(viewer, "pk", None) or sees_team_only(viewer, target)


def can_edit(viewer: Any, comment: Comment) -> bool:
    return not comment.is_removed and comment.author_id == getattr(viewer, "pk", None)


def can_remove(viewer: Any, target: Target, comment: Comment) -> bool:
    if comment.is_removed:
        return False
    if comment.author_id == getattr(viewer, "pk", None):
        return True
    if target.project is not None:
        return bool(viewer.has_perm("projects.manage_project", target.project))
    return _coordinates(viewer, target)
