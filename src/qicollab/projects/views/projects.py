"""Project list, start a project, the project page, details and sharing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from qicollab.core import contributions
from qicollab.core.forms import add_service_error
from qicollab.core.http import AuthedHttpRequest, paginate, pagination_context, require
from qicollab.core.services import EditConflict, version_token
from qicollab.projects import presenters, selectors, services
from qicollab.projects.forms.project import (
    ProjectCreateForm,
    ProjectDetailsForm,
    ProjectFilterForm,
    ProjectSharingForm,
)
from qicollab.projects.models import SHARING_HINTS, Sharing
from qicollab.projects.services import ProjectError
from qicollab.projects.views.common import (
    PROJECTS,
    crumbs,
    get_project,
    public_view,
    show_conflict,
)


def project_list(request: HttpRequest) -> HttpResponse:
    """Projects the viewer may read; visitors who are not logged in see public ones."""
    form = ProjectFilterForm(request.GET or None, viewer=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.project_list(
        viewer=request.user,
        search=filters.get("q", ""),
        status=filters.get("status", ""),
        workstream=filters.get("workstream"),
        organisation=filters.get("organisation"),
    )
    page = paginate(request, qs)
    return render(
        request,
        "projects/project_list.jinja",
        {
            "page_title": "Projects",
            "active_nav": "projects",
            "form": form,
            "filtered": any(filters.values()),
            "page": page,
            "pagination": pagination_context(request, page),
            "can_add": request.user.has_perm("projects.add_project"),
            "status_tag": presenters.status_tag,
        },
    )


@login_required
def project_create(request: AuthedHttpRequest) -> HttpResponse:
    require(request.user, "projects.add_project")
    current = getattr(request, "collaborative", None)
    form = ProjectCreateForm(request.POST or None, viewer=request.user, current=current or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            project = services.project_create(
                actor=request.user,
                collaborative=d["collaborative"],
                lead_organisation=d["lead_organisation"],
                title=d["title"],
                workstream=d["workstream"],
                sharing=d["sharing"],
                summary=d["summary"],
            )
        except (ProjectError, ValidationError) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"'{project.title}' has been started. Next, write your aim.")
            return redirect(project)
    return render(
        request,
        "projects/project_create.jinja",
        {
            "page_title": "Start a project",
            "active_nav": "projects",
            "breadcrumbs": [PROJECTS, ("Start a project", "")],
            "form": form,
            "sharing_hints": SHARING_HINTS,
        },
    )


@public_view
def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_project(request, slug)
    page = presenters.project_page(project, request.user)
    return render(
        request,
        "projects/project_detail.jinja",
        {
            "page_title": project.title,
            "active_nav": "projects",
            "breadcrumbs": crumbs(project),
            "project": project,
            "p": page,
            "status_tag": presenters.status_tag,
            # Innovations from and adoptions into this project (qicollab.innovations).
            "project_innovations": [],
            **contributions.collect(
                "projects.project_detail", project=project, viewer=request.user
            ),
            "history": project.history.select_related("history_user").order_by("-history_date")
            if page.perms["edit"]
            else None,
            # Similar work (search) and the discussion thread register here; without a
            # provider the page simply has neither.
            **contributions.collect(
                "projects.project_detail", project=project, viewer=request.user, request=request
            ),
        },
    )


@login_required
def project_edit(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    project = get_project(request, slug, "projects.change_project")
    form = ProjectDetailsForm(
        request.POST or None, instance=project, initial={"loaded_version": version_token(project)}
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "loaded_version"}
        try:
            services.project_update(
                actor=request.user,
                project=get_project(request, slug),  # fresh: the form has written to `project`
                data=data,
                loaded_version=form.cleaned_data["loaded_version"],
            )
        except EditConflict as exc:
            conflict = show_conflict(form, exc, "project")
        except (ProjectError, ValidationError) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Your changes have been saved.")
            return redirect(project)
    return render(
        request,
        "projects/project_form.jinja",
        {
            "page_title": f"Edit {project.title}",
            "active_nav": "projects",
            "breadcrumbs": crumbs(project, ("Edit details", "")),
            "form": form,
            "project": project,
            "conflict": conflict,
        },
    )


@login_required
def project_sharing(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    project = get_project(request, slug, "projects.manage_project")
    form = ProjectSharingForm(
        request.POST or None,
        project=project,
        initial={
            "sharing": project.sharing,
            "partner_organisations": list(project.partner_org_ids),
            "loaded_version": version_token(project),
        },
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.project_set_sharing(
                actor=request.user,
                project=project,
                sharing=form.cleaned_data["sharing"],
                partner_organisations=form.cleaned_data["partner_organisations"],
                loaded_version=form.cleaned_data["loaded_version"],
            )
        except EditConflict as exc:
            conflict = show_conflict(form, exc, "project")
        else:
            label = Sharing(form.cleaned_data["sharing"]).label
            messages.success(request, f"Sharing saved: {label.lower()}.")
            return redirect(project)
    return render(
        request,
        "projects/project_sharing.jinja",
        {
            "page_title": "Sharing and organisations",
            "active_nav": "projects",
            "breadcrumbs": crumbs(project, ("Sharing", "")),
            "form": form,
            "project": project,
            "conflict": conflict,
            "sharing_hints": SHARING_HINTS,
        },
    )
