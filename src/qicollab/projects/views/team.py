"""The team (add, change role, remove) and co-production at each stage."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from qicollab.core.forms import add_service_error
from qicollab.core.http import AuthedHttpRequest
from qicollab.projects import selectors, services
from qicollab.projects.forms.team import CoProductionForm, MemberAddForm, MemberRoleForm
from qicollab.projects.models import CoProduction, Project, ProjectMember, Stage
from qicollab.projects.services import ProjectError
from qicollab.projects.views.common import crumbs, get_project


@login_required
def team(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    """The team, and (for those who manage it) a form to add someone."""
    project = get_project(request, slug, "projects.change_project")
    can_manage = request.user.has_perm("projects.manage_project", project)
    form = None
    if can_manage:
        candidates = selectors.team_candidates(project=project, viewer=request.user)
        form = MemberAddForm(request.POST or None, candidates=candidates)
        if request.method == "POST" and form.is_valid():
            try:
                member = services.member_add(
                    actor=request.user,
                    project=project,
                    person=form.cleaned_data["person"],
                    role=form.cleaned_data["role"],
                )
            except (ProjectError, ValidationError) as exc:
                add_service_error(form, exc)
            else:
                messages.success(
                    request,
                    f"{member.person} has joined the team as {member.get_role_display().lower()}.",
                )
                return redirect("projects:team", project.slug)
    elif request.method == "POST":
        raise PermissionDenied("projects.manage_project")
    return render(
        request,
        "projects/team.jinja",
        {
            "page_title": "Team",
            "active_nav": "projects",
            "breadcrumbs": crumbs(project, ("Team", "")),
            "project": project,
            "team": selectors.project_team(project=project),
            "form": form,
            "can_manage": can_manage,
        },
    )


def _member(project_slug: str, request: HttpRequest, pk: int) -> tuple[Project, ProjectMember]:
    project = get_project(request, project_slug, "projects.manage_project")
    member = get_object_or_404(
        ProjectMember.objects.select_related("person"), pk=pk, project=project
    )
    return project, member


@login_required
def member_role(request: AuthedHttpRequest, slug: str, pk: int) -> HttpResponse:
    project, member = _member(slug, request, pk)
    form = MemberRoleForm(request.POST or None, initial={"role": member.role})
    if request.method == "POST" and form.is_valid():
        try:
            services.member_change_role(
                actor=request.user, member=member, role=form.cleaned_data["role"]
            )
        except ProjectError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"{member.person}'s role has been changed.")
            return redirect("projects:team", slug)
    return render(
        request,
        "projects/member_role.jinja",
        {
            "page_title": f"Change {member.person}'s role",
            "active_nav": "projects",
            "breadcrumbs": crumbs(
                project, ("Team", reverse("projects:team", args=[slug])), ("Change role", "")
            ),
            "project": project,
            "member": member,
            "form": form,
        },
    )


@login_required
def member_remove(request: AuthedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Confirm, then remove someone from the team (never the last project lead)."""
    project, member = _member(slug, request, pk)
    error = None
    if request.method == "POST":
        try:
            services.member_remove(actor=request.user, member=member)
        except ProjectError as exc:
            error = str(exc)
        else:
            messages.success(request, f"{member.person} has left the team.")
            return redirect("projects:team", slug)
    return render(
        request,
        "projects/member_remove.jinja",
        {
            "page_title": f"Remove {member.person} from the team",
            "active_nav": "projects",
            "breadcrumbs": crumbs(
                project, ("Team", reverse("projects:team", args=[slug])), ("Remove", "")
            ),
            "project": project,
            "member": member,
            "error": error,
        },
    )


@login_required
def coproduction_edit(request: AuthedHttpRequest, slug: str, stage: str) -> HttpResponse:
    project = get_project(request, slug, "projects.change_project")
    if stage not in Stage.values:
        raise Http404
    record = CoProduction.objects.filter(project=project, stage=stage).first()
    form = CoProductionForm(
        request.POST or None, instance=record or CoProduction(project=project, stage=stage)
    )
    if request.method == "POST" and request.POST.get("action") == "clear":
        services.coproduction_clear(actor=request.user, project=project, stage=stage)
        messages.success(request, "The record for this stage has been removed.")
        return redirect(project.get_absolute_url() + "#co-production")
    if request.method == "POST" and form.is_valid():
        services.coproduction_set(
            actor=request.user,
            project=project,
            stage=stage,
            level=form.cleaned_data["level"],
            description=form.cleaned_data["description"],
            partners_involved=form.cleaned_data["partners_involved"],
        )
        messages.success(request, "Co-production has been recorded.")
        return redirect(project.get_absolute_url() + "#co-production")
    return render(
        request,
        "projects/coproduction_form.jinja",
        {
            "page_title": "How patients and families were involved",
            "active_nav": "projects",
            "breadcrumbs": crumbs(project, ("Co-production", "")),
            "project": project,
            "stage_label": Stage(stage).label,
            "record": record,
            "form": form,
        },
    )
