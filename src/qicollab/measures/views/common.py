"""Helpers shared by the measure views: finding the project and the measure, errors, links."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from qicollab.core.http import found
from qicollab.measures import selectors
from qicollab.measures.models import Bundle, Measure
from qicollab.projects.models import Project
from qicollab.projects.views.common import crumbs, get_project

VIEW = "projects.view_project"
EDIT = "projects.change_project"


def project_and_measure(
    request: HttpRequest, slug: str, pk: int, perm: str | None = None
) -> tuple[Project, Measure]:
    """The measure of a project the viewer may read (404 otherwise), checking ``perm``."""
    project = get_project(request, slug, perm)
    measure = found(selectors.measure_get(project=project, pk=pk))
    measure.project = project  # reuse the permission-checked project (no second query)
    return project, measure


def project_and_bundle(
    request: HttpRequest, slug: str, pk: int, perm: str | None = None
) -> tuple[Project, Bundle]:
    project = get_project(request, slug, perm)
    bundle = found(selectors.bundle_get(project=project, pk=pk))
    return project, bundle


def measure_crumbs(project: Project, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return crumbs(project, ("Measures", f"/projects/{project.slug}/measures/"), *extra)


def can_edit(request: HttpRequest, project: Project) -> bool:
    return bool(request.user.is_authenticated and request.user.has_perm(EDIT, project))


def no_such(_: Any = None) -> None:
    raise Http404
