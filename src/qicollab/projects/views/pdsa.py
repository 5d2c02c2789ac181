"""PDSA cycles: the ramps of each change idea, and each cycle's four stages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from qicollab.core import contributions
from qicollab.core.forms import add_service_error
from qicollab.core.http import AuthedHttpRequest, found
from qicollab.core.services import EditConflict, version_token
from qicollab.projects import presenters, selectors, services
from qicollab.projects.forms.pdsa import STAGES, PdsaForm
from qicollab.projects.models import PdsaCycle, Project
from qicollab.projects.services import ProjectError
from qicollab.projects.views.common import (
    crumbs,
    get_project,
    public_view,
    show_conflict,
)


def _crumbs(project: Project, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return crumbs(
        project, ("PDSA cycles", reverse("projects:pdsa_list", args=[project.slug])), *extra
    )


@public_view
def pdsa_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Ramps: for each change idea, its cycles from the smallest test to the widest."""
    project = get_project(request, slug)
    _, _, ideas = selectors.diagram_nodes(project=project)
    cycles = list(selectors.pdsa_cycles(project=project))
    return render(
        request,
        "projects/pdsa_list.jinja",
        {
            "page_title": "PDSA cycles",
            "active_nav": "projects",
            "breadcrumbs": crumbs(project, ("PDSA cycles", "")),
            "project": project,
            "ramps": presenters.ramps(ideas),
            "cycles": cycles,
            "can_edit": request.user.has_perm("projects.change_project", project),
            "pdsa_tag": presenters.PDSA_STATUS_TAGS,
        },
    )


@public_view
def pdsa_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = get_project(request, slug)
    cycle = found(selectors.pdsa_get(project=project, pk=pk))
    can_edit = request.user.has_perm("projects.change_project", project)
    return render(
        request,
        "projects/pdsa_detail.jinja",
        {
            "page_title": str(cycle),
            "active_nav": "projects",
            "breadcrumbs": _crumbs(project, (str(cycle), "")),
            "project": project,
            "cycle": cycle,
            "sections": presenters.pdsa_sections(
                cycle, PdsaForm(instance=cycle, project=project), STAGES
            ),
            "can_edit": can_edit,
            "pdsa_tag": presenters.PDSA_STATUS_TAGS,
            "history": cycle.history.select_related("history_user").order_by("-history_date")
            if can_edit
            else None,
            **contributions.collect(
                "projects.pdsa_detail", project=project, cycle=cycle, viewer=request.user
            ),
        },
    )


def _form_page(request: HttpRequest, project: Project, form: PdsaForm, **ctx: Any) -> HttpResponse:
    return render(
        request,
        "projects/pdsa_form.jinja",
        {
            "active_nav": "projects",
            "project": project,
            "form": form,
            "stages": STAGES,
            **ctx,
        },
    )


def _data(form: PdsaForm) -> dict[str, Any]:
    return {
        k: v for k, v in form.cleaned_data.items() if k not in ("loaded_version", "change_ideas")
    }


@login_required
def pdsa_create(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    project = get_project(request, slug, "projects.change_project")
    initial: dict[str, Any] = {}
    idea = request.GET.get("idea", "")
    if idea.isdigit():
        initial["change_ideas"] = [int(idea)]
    form = PdsaForm(request.POST or None, project=project, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.pdsa_cycle_create(
                actor=request.user,
                project=project,
                data=_data(form),
                change_ideas=form.cleaned_data["change_ideas"],
            )
        except (ProjectError, ValidationError) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"{cycle} has been planned.")
            return redirect(cycle)
    return _form_page(
        request,
        project,
        form,
        page_title="Plan a PDSA cycle",
        breadcrumbs=_crumbs(project, ("Plan a cycle", "")),
        has_ideas=project.change_ideas.exists(),
        stages=STAGES[:2],  # a new cycle is planned; Do, Study and Act come later
    )


@login_required
def pdsa_edit(request: AuthedHttpRequest, slug: str, pk: int) -> HttpResponse:
    project = get_project(request, slug, "projects.change_project")
    cycle = found(selectors.pdsa_get(project=project, pk=pk))
    form = PdsaForm(
        request.POST or None,
        instance=cycle,
        project=project,
        initial={"loaded_version": version_token(cycle)},
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.pdsa_cycle_update(
                actor=request.user,
                cycle=found(selectors.pdsa_get(project=project, pk=pk)),
                data=_data(form),
                change_ideas=form.cleaned_data["change_ideas"],
                loaded_version=form.cleaned_data["loaded_version"],
            )
        except EditConflict as exc:
            conflict = show_conflict(form, exc, "PDSA cycle")
        except (ProjectError, ValidationError) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Your changes have been saved.")
            return redirect("projects:pdsa_detail", slug, pk)
    return _form_page(
        request,
        project,
        form,
        page_title=f"Edit {cycle}",
        cycle=cycle,
        conflict=conflict,
        breadcrumbs=_crumbs(project, (str(cycle), cycle.get_absolute_url()), ("Edit", "")),
        has_ideas=True,
    )


@login_required
def pdsa_delete(request: AuthedHttpRequest, slug: str, pk: int) -> HttpResponse:
    project = get_project(request, slug, "projects.change_project")
    cycle: PdsaCycle = found(selectors.pdsa_get(project=project, pk=pk))
    if request.method == "POST":
        services.pdsa_cycle_delete(actor=request.user, cycle=cycle)
        messages.success(request, f"{cycle} has been deleted.")
        return redirect("projects:pdsa_list", slug)
    return render(
        request,
        "projects/pdsa_delete.jinja",
        {
            "page_title": f"Delete {cycle}?",
            "active_nav": "projects",
            "breadcrumbs": _crumbs(project, (str(cycle), cycle.get_absolute_url()), ("Delete", "")),
            "project": project,
            "cycle": cycle,
        },
    )
