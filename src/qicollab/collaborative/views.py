"""The collaborative's structure pages: workstreams and themes (thin views).

Programme goals, the portfolio, the signal feed, the dashboard and coaching view are the
programme-wide read side: :mod:`qicollab.insights`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from qicollab.collaborative import selectors, services
from qicollab.collaborative.forms import EvidenceForm
from qicollab.collaborative.models import Theme
from qicollab.core import contributions
from qicollab.core.http import found
from qicollab.organisations.models import Collaborative
from qicollab.projects.models import Project
from qicollab.projects.selectors import project_list

COLLABS = ("Collaboratives", "/collaboratives/")


def _crumbs(collab: Collaborative) -> list[tuple[str, str]]:
    return [COLLABS, (collab.name, collab.get_absolute_url())]


def workstream_detail(request: HttpRequest, slug: str, workstream: str) -> HttpResponse:
    ws = found(selectors.workstream_get(viewer=request.user, collab_slug=slug, slug=workstream))
    collab = ws.collaborative
    return render(
        request,
        "collaborative/workstream_detail.jinja",
        {
            "page_title": ws.name,
            "active_nav": "collaboratives",
            "breadcrumbs": [*_crumbs(collab), (ws.name, "")],
            "collab": collab,
            "workstream": ws,
            "projects": selectors.workstream_projects(viewer=request.user, workstream=ws),
            # Goal cards come from the read side (insights), which registers itself here.
            "goal_rows": [],
            **contributions.collect("collaborative.workstream_detail", workstream=ws),
        },
    )


def _editable_projects(request: HttpRequest, theme: Theme) -> list[Project]:
    # Candidates are the collaborative's projects the viewer can see, kept if they may edit.
    if not request.user.is_authenticated:
        return []
    return [
        p
        for p in project_list(viewer=request.user, collaborative=theme.collaborative)
        if request.user.has_perm(services.PERM, p)
    ]


@require_http_methods(["GET", "POST"])
def theme_detail(request: HttpRequest, slug: str, theme: str) -> HttpResponse:
    th = found(selectors.theme_get(viewer=request.user, collab_slug=slug, slug=theme))
    collab = th.collaborative
    editable = _editable_projects(request, th)
    principles = list(th.principles.all())
    form = EvidenceForm(
        request.POST if request.method == "POST" else None,
        projects=editable,
        principles=principles,
    )
    if request.method == "POST":
        if not editable:
            raise PermissionDenied("You cannot edit any project in this collaborative.")
        if form.is_valid():
            project, principle = form.chosen()
            try:
                if request.POST.get("action") == "remove":
                    services.principle_evidence_unmark(
                        actor=request.user, project=project, principle=principle
                    )
                    messages.success(
                        request, f"{project.title} no longer evidences “{principle.text}”."
                    )
                else:
                    services.principle_evidence_mark(
                        actor=request.user,
                        project=project,
                        principle=principle,
                        note=form.cleaned_data["note"],
                    )
                    messages.success(request, f"{project.title} evidences “{principle.text}”.")
            except ValidationError as exc:
                for msg in exc.messages:
                    form.add_error(None, msg)
            else:
                return HttpResponseRedirect(
                    reverse("collaborative:theme_detail", args=[collab.slug, th.slug])
                )
    return render(
        request,
        "collaborative/theme_detail.jinja",
        {
            "page_title": th.name,
            "active_nav": "collaboratives",
            "breadcrumbs": [*_crumbs(collab), (th.name, "")],
            "collab": collab,
            "theme": th,
            "rows": selectors.theme_evidence(viewer=request.user, theme=th),
            "form": form if editable else None,
            **contributions.collect("collaborative.theme_detail", theme=th),
        },
    )
