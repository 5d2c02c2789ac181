"""Monthly progress scores: the history, and rating a month (team or faculty)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from qicollab.core.forms import add_service_error
from qicollab.core.http import AuthedHttpRequest, require
from qicollab.core.services import EditConflict, version_token
from qicollab.projects import presenters, selectors, services
from qicollab.projects.forms.progress import ProgressReportForm
from qicollab.projects.models import RaterType
from qicollab.projects.services import ProjectError
from qicollab.projects.services.progress import RATER_PERMS
from qicollab.projects.views.common import (
    crumbs,
    get_project,
    public_view,
    show_conflict,
)


@public_view
def progress(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_project(request, slug)
    scale = selectors.scale_for(collaborative=project.collaborative_id)
    return render(
        request,
        "projects/progress.jinja",
        {
            "page_title": "Progress scores",
            "active_nav": "projects",
            "breadcrumbs": crumbs(project, ("Progress", "")),
            "project": project,
            "scale": scale,
            "h": presenters.progress_history(project, scale),
            "can_self": request.user.has_perm(RATER_PERMS[RaterType.SELF], project),
            "can_faculty": request.user.has_perm(RATER_PERMS[RaterType.FACULTY], project),
        },
    )


def _render_form(
    request: HttpRequest, project: object, form: ProgressReportForm, **extra: object
) -> HttpResponse:
    return render(
        request,
        "projects/progress_form.jinja",
        {"active_nav": "projects", "project": project, "form": form, **extra},
    )


@login_required
def progress_create(request: AuthedHttpRequest, slug: str, rater: str) -> HttpResponse:
    if rater not in RaterType.values:
        raise Http404
    project = get_project(request, slug, RATER_PERMS[RaterType(rater)])
    scale = selectors.scale_for(collaborative=project.collaborative_id)
    form = ProgressReportForm(request.POST or None, scale=scale)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.progress_report_save(
                actor=request.user,
                project=project,
                rater_type=rater,
                month=d["month"],
                score=d["score"],
                progress=d["progress"],
                barriers=d["barriers"],
                help_needed=d["help_needed"],
            )
        except (ProjectError, ValidationError) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"The {d['month']:%B %Y} score has been recorded.")
            return redirect("projects:progress", project.slug)
    title = "Rate this month's progress" if rater == RaterType.SELF else "Faculty rating"
    suggestion = (
        selectors.progress_suggestion(project=project, scale=scale)
        if rater == RaterType.SELF
        else None
    )
    return _render_form(
        request,
        project,
        form,
        page_title=title,
        scale=scale,
        rater=RaterType(rater),
        suggestion=suggestion,
        breadcrumbs=crumbs(
            project, ("Progress", reverse("projects:progress", args=[slug])), (title, "")
        ),
    )


@login_required
def progress_edit(request: AuthedHttpRequest, slug: str, pk: int) -> HttpResponse:
    project = get_project(request, slug, "projects.change_project")
    report = selectors.progress_report_get(project=project, pk=pk)
    if report is None:
        raise Http404
    require(request.user, RATER_PERMS[RaterType(report.rater_type)], project)
    form = ProgressReportForm(
        request.POST or None,
        scale=report.scale,
        extra_month=report.month,
        initial={
            "month": report.month.isoformat(),
            "score": f"{report.score:.1f}",
            "progress": report.progress,
            "barriers": report.barriers,
            "help_needed": report.help_needed,
            "loaded_version": version_token(report),
        },
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.progress_report_save(
                actor=request.user,
                project=project,
                rater_type=report.rater_type,
                month=d["month"],
                score=d["score"],
                progress=d["progress"],
                barriers=d["barriers"],
                help_needed=d["help_needed"],
                report=report,
                loaded_version=d["loaded_version"],
            )
        except EditConflict as exc:
            conflict = show_conflict(form, exc, "rating")
        except (ProjectError, ValidationError) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "The rating has been changed.")
            return redirect("projects:progress", project.slug)
    return _render_form(
        request,
        project,
        form,
        page_title=f"Change the {report.month:%B %Y} rating",
        scale=report.scale,
        rater=RaterType(report.rater_type),
        report=report,
        conflict=conflict,
        breadcrumbs=crumbs(
            project, ("Progress", reverse("projects:progress", args=[slug])), ("Change", "")
        ),
    )
