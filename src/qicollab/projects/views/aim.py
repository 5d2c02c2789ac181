"""Write the aim, with a live SMART check (htmx) that also runs on save without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from qicollab.core.forms import add_service_error
from qicollab.core.http import AuthedHttpRequest
from qicollab.core.services import EditConflict, version_token
from qicollab.projects import presenters, services
from qicollab.projects.forms.aim import AimForm, draft_aim
from qicollab.projects.services import ProjectError
from qicollab.projects.smart import aim_sentence
from qicollab.projects.views.common import crumbs, get_project, show_conflict


@login_required
def aim_edit(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    project = get_project(request, slug, "projects.change_project")
    aim = services.aim_of(project)
    form = AimForm(
        request.POST or None, instance=aim, initial={"loaded_version": version_token(aim)}
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "loaded_version"}
        try:
            saved = services.aim_update(
                actor=request.user,
                project=get_project(request, slug),
                data=data,
                loaded_version=form.cleaned_data["loaded_version"],
            )
        except EditConflict as exc:
            conflict = show_conflict(form, exc, "aim")
        except (ProjectError, ValidationError) as exc:
            add_service_error(form, exc)
        else:
            missing = presenters.aim_problems(saved, project)
            if missing:
                messages.success(
                    request,
                    f"Your aim has been saved. It is not SMART yet: {len(missing)} "
                    f"thing{'s' if len(missing) != 1 else ''} to add (listed under the aim).",
                )
            else:
                messages.success(request, "Your aim has been saved. It is SMART.")
            return redirect(project.get_absolute_url() + "#aim")
    draft = draft_aim(form) if form.is_bound else aim
    return render(
        request,
        "projects/aim_form.jinja",
        {
            "page_title": "What are we trying to accomplish?",
            "active_nav": "projects",
            "breadcrumbs": crumbs(project, ("Aim", "")),
            "project": project,
            "form": form,
            "conflict": conflict,
            "problems": presenters.aim_problems(draft, project),
            "sentence": aim_sentence(draft),
        },
    )


@login_required
@require_POST
def aim_check(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    """The SMART check for what is in the form now (a fragment; nothing is saved)."""
    project = get_project(request, slug, "projects.change_project")
    draft = draft_aim(AimForm(request.POST))
    return render(
        request,
        "projects/_smart_check.jinja",
        {
            "project": project,
            "problems": presenters.aim_problems(draft, project),
            "sentence": aim_sentence(draft),
            "live": True,
        },
    )
