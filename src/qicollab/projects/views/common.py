"""Helpers shared by the project views: finding the project, breadcrumbs, form errors."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from qicollab.core.forms import show_conflict as show_conflict  # re-exported for the views
from qicollab.core.http import require
from qicollab.projects import selectors
from qicollab.projects.models import Project

PROJECTS = ("Projects", "/projects/")


class LoginNeeded(Exception):
    """An anonymous visitor asked for a project that is not public."""


def get_project(request: HttpRequest, slug: str, perm: str | None = None) -> Project:
    """The project if the viewer may read it (else 404), and holds ``perm`` (else 403).

    Anonymous visitors asking for anything that is not public are sent to log in, whether or
    not it exists, so the answer says nothing about private projects.
    """
    project = selectors.project_get(viewer=request.user, slug=slug)
    if project is None:
        if not request.user.is_authenticated:
            raise LoginNeeded
        raise Http404
    if perm:
        if not request.user.is_authenticated:
            raise LoginNeeded
        require(request.user, perm, project)
    return project


def public_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For pages a public project shows to anyone: others send visitors to log in."""

    @wraps(view)
    def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except LoginNeeded:
            return redirect_to_login(request.get_full_path())

    return inner


def crumbs(project: Project, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [PROJECTS, (project.title, project.get_absolute_url()), *extra]
