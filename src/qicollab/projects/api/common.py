"""Shared pieces of the projects API: the router, finding a project, form errors.

A service's refusal (a ``ProjectError``) needs no catching here: the API's
``ServiceError`` handler answers it 422 for the field it names.
"""

# No "from __future__ import annotations": ninja reads the signatures at import time.

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from qicollab.api.errors import valid
from qicollab.core.http import require
from qicollab.projects import selectors
from qicollab.projects.models import Project

router = Router(tags=["projects"])

__all__ = ["pk_for", "project_or_404", "ref", "router", "valid"]


def project_or_404(request: HttpRequest, slug: str, perm: str | None = None) -> Project:
    """The project `slug` if the caller can see it (and has `perm` on it), else a 404 or 403.

    The one lookup for every API module that takes a project slug (projects and measures).
    """
    project = selectors.project_get(viewer=request.user, slug=slug)
    if project is None:
        raise HttpError(404, f"There is no project '{slug}' that you can see.")
    if perm:
        require(request.user, perm, project)
    return project


def ref(obj: Any) -> dict[str, str] | None:
    return {"slug": obj.slug, "name": obj.name} if obj is not None else None


def pk_for(model: Any, slug: str | None, **scope: Any) -> Any:
    """The primary key for a slug, or the slug itself so the form reports it as a bad choice."""
    if not slug:
        return ""
    found = model.objects.filter(slug=slug, **scope).values_list("pk", flat=True).first()
    return found if found is not None else f"unknown:{slug}"
