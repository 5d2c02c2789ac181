"""Reads of the measure library and of the measures that follow it (scoped by the viewer).

:func:`visible_library` is the SQL twin of ``measures.rules.can_view_library``. The
cross-site reads (:func:`site_measures`, :func:`named_project_ids`) take a fixed number of
queries whatever the number of sites.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from qicollab.accounts.roles import roles_for
from qicollab.measures.models import LibraryMeasure, LibraryMeasureVersion, Measure
from qicollab.organisations.models import Collaborative
from qicollab.projects.models import Project
from qicollab.projects.selectors import visible_projects

USE = "projects.change_project"


def visible_library(*, viewer: Any) -> QuerySet[LibraryMeasure]:
    """Every library definition the viewer may read (members and coordinators)."""
    r = roles_for(viewer)
    qs = LibraryMeasure.objects.select_related("collaborative")
    if r.is_superuser:
        return qs
    if not r.is_authenticated:
        return qs.none()
    return qs.filter(collaborative_id__in=r.visible_collab_ids)


def library_list(
    *, viewer: Any, collaborative: Collaborative | None = None
) -> QuerySet[LibraryMeasure]:
    """The library with how many projects use each definition (one query)."""
    qs = visible_library(viewer=viewer)
    if collaborative is not None:
        qs = qs.filter(collaborative=collaborative)
    return qs.annotate(use_count=Count("measures", distinct=True)).order_by(
        "collaborative__name", "name"
    )


def library_collaborative(*, viewer: Any, slug: str) -> Collaborative | None:
    """The collaborative if the viewer may read its library (``None`` is shown as 404)."""
    r = roles_for(viewer)
    if not r.is_authenticated:
        return None
    qs = Collaborative.objects.filter(slug=slug)
    if not r.is_superuser:
        qs = qs.filter(pk__in=r.visible_collab_ids)
    return qs.first()


def library_get(*, viewer: Any, pk: int, collab_slug: str | None = None) -> LibraryMeasure | None:
    """One definition if the viewer may read it, else ``None`` (shown as 404)."""
    qs = visible_library(viewer=viewer).filter(pk=pk)
    if collab_slug is not None:
        qs = qs.filter(collaborative__slug=collab_slug)
    return qs.first()


def library_versions(*, library_measure: LibraryMeasure) -> QuerySet[LibraryMeasureVersion]:
    """Every version, newest first, with who made it."""
    return library_measure.versions.select_related("created_by").order_by("-number")


def library_for_project(*, project: Project) -> QuerySet[LibraryMeasure]:
    """The definitions a project may use: its collaborative's library."""
    return LibraryMeasure.objects.filter(collaborative_id=project.collaborative_id).order_by("name")


def usable_projects(*, viewer: Any, library_measure: LibraryMeasure) -> list[Project]:
    """Projects of the definition's collaborative whose content the viewer may edit and that
    do not use the definition yet."""
    if not roles_for(viewer).is_authenticated:
        return []
    candidates = (
        visible_projects(viewer=viewer)
        .filter(collaborative_id=library_measure.collaborative_id)
        .exclude(measures__library_measure=library_measure)
        .select_related("lead_organisation")
        .order_by("title")
    )
    return [p for p in candidates if viewer.has_perm(USE, p)]


def site_measures(*, library_measure: LibraryMeasure) -> list[Measure]:
    """Every project measure created from this definition, with its project and organisation.

    Every site is listed whatever the viewer may read: the cross-site view shows the sites a
    viewer may not see by name without their names (see :func:`named_project_ids`).
    """
    return list(
        Measure.objects.filter(library_measure=library_measure)
        .select_related("project__lead_organisation")
        .order_by("project__lead_organisation__name", "project__title", "pk")
    )


def named_project_ids(*, viewer: Any, project_ids: list[int]) -> frozenset[int]:
    """Which of ``project_ids`` the viewer may read, so may see by name (one query)."""
    if not project_ids:
        return frozenset()
    return frozenset(
        visible_projects(viewer=viewer).filter(pk__in=project_ids).values_list("pk", flat=True)
    )
