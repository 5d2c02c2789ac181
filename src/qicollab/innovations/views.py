"""Innovation pages: the collaborative's list, an innovation, its spread, writing one up,
adopting one and starting a project from its change package."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from qicollab.collaborative.selectors import themes as collab_themes
from qicollab.collaborative.selectors import workstreams as collab_workstreams
from qicollab.core.forms import add_service_error
from qicollab.core.http import AuthedHttpRequest, found, require
from qicollab.core.services import EditConflict, ServiceError, version_token
from qicollab.events import storyboards as sb
from qicollab.innovations import package, presenters, selectors, services
from qicollab.innovations.forms import (
    AdoptForm,
    ImportForm,
    InnovationForm,
    ResourceForm,
    StartProjectForm,
    StatusForm,
)
from qicollab.innovations.models import AdoptionStatus, Innovation, Stage
from qicollab.innovations.rules import creator_org_ids
from qicollab.organisations.selectors import collaborative_get, collaborative_members
from qicollab.projects.selectors import project_get

HOME = ("Home", "/")


def _crumbs(innovation: Innovation, *rest: tuple[str, str]) -> list[tuple[str, str]]:
    from django.urls import reverse

    c = innovation.collaborative
    return [
        HOME,
        (c.name, c.get_absolute_url()),
        ("Innovations", reverse("innovations:innovation_list", args=[c.slug])),
        *rest,
    ]


# --- the collaborative's innovations ---------------------------------------------------


def innovation_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The innovations page: filters by workstream, theme, stage, organisation, evidence
    strength and spread. Open to visitors, who see only public innovations."""
    collab = found(collaborative_get(viewer=request.user, slug=slug))
    workstreams = list(collab_workstreams(collaborative=collab))
    themes = list(collab_themes(collaborative=collab))
    members = [m.organisation for m in collaborative_members(collaborative=collab)]
    g = request.GET
    filters = selectors.Filters(
        workstream=next((w for w in workstreams if w.slug == g.get("workstream")), None),
        theme=next((t for t in themes if t.slug == g.get("theme")), None),
        stage=g.get("stage", "") if g.get("stage") in Stage.values else "",
        organisation=next((o for o in members if o.slug == g.get("organisation")), None),
        evidence=g.get("evidence", "") if g.get("evidence") in ("improvement", "none") else "",
        min_spread=int(g["spread"]) if g.get("spread", "") in ("1", "3", "5", "10") else 0,
    )
    unknown = [
        name
        for name, chosen in (
            ("workstream", filters.workstream),
            ("theme", filters.theme),
            ("organisation", filters.organisation),
        )
        if g.get(name) and chosen is None
    ]
    rows = selectors.innovation_list(viewer=request.user, collaborative=collab, filters=filters)
    return render(
        request,
        "innovations/innovation_list.jinja",
        {
            "page_title": f"Innovations: {collab.name}",
            "active_nav": "collaboratives",
            "breadcrumbs": [HOME, (collab.name, collab.get_absolute_url()), ("Innovations", "")],
            "collab": collab,
            "rows": rows,
            "filters": filters,
            "workstreams": workstreams,
            "themes": themes,
            "members": members,
            "stages": Stage.choices,
            "unknown": unknown,
            "stage_tag": presenters.stage_tag,
            "can_import": bool(creator_org_ids(request.user) & {o.pk for o in members}),
        },
    )


# --- one innovation ----------------------------------------------------------------------


def _detail_context(request: HttpRequest, innovation: Innovation) -> dict[str, Any]:
    measures = selectors.evidence_measures(viewer=request.user, innovation=innovation)
    spread = selectors.spread(viewer=request.user, innovation=innovation)
    mine = creator_org_ids(request.user)
    return {
        "page_title": innovation.title,
        "active_nav": "collaboratives",
        "breadcrumbs": _crumbs(innovation, (innovation.title, "")),
        "innovation": innovation,
        **selectors.package_parts(innovation),
        "charts": presenters.evidence_charts(measures) if measures else [],
        "evidence_hidden": measures is None,
        "spread": spread,
        "spread_sentence": presenters.spread_sentence(spread.counts),
        "status_tag": presenters.status_tag,
        "stage_tag": presenters.stage_tag,
        "can_change": request.user.has_perm("innovations.change_innovation", innovation),
        "can_adopt": request.user.has_perm("innovations.adopt_innovation", innovation)
        and bool(mine - {innovation.organisation_id}),
        "my_adoption": selectors.my_adoption(
            viewer=request.user, innovation=innovation, organisation_ids=mine
        )
        if mine
        else None,
        "project_visible": innovation.project is not None
        and request.user.has_perm("projects.view_project", innovation.project),
        "resource_form": ResourceForm(),
    }


def innovation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    innovation = found(selectors.innovation_get(viewer=request.user, slug=slug))
    return render(
        request, "innovations/innovation_detail.jinja", _detail_context(request, innovation)
    )


def spread_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The spread: a timeline of adoptions and a grid of organisations by status and region."""
    innovation = found(selectors.innovation_get(viewer=request.user, slug=slug))
    national = request.GET.get("view") == "national"
    spread = selectors.spread(viewer=request.user, innovation=innovation, national=national)
    return render(
        request,
        "innovations/spread.jinja",
        {
            "page_title": f"Spread: {innovation.title}",
            "active_nav": "collaboratives",
            "breadcrumbs": _crumbs(
                innovation, (innovation.title, innovation.get_absolute_url()), ("Spread", "")
            ),
            "innovation": innovation,
            "spread": spread,
            "spread_sentence": presenters.spread_sentence(spread.counts),
            "status_tag": presenters.status_tag,
            "statuses": [("source", "Source"), *AdoptionStatus.choices, ("", "Not yet")],
        },
    )


def _form_choices(innovation: Innovation) -> dict[str, Any]:
    return {
        "workstreams": list(collab_workstreams(collaborative=innovation.collaborative)),
        "themes": list(collab_themes(collaborative=innovation.collaborative)),
    }


@login_required
@require_http_methods(["GET", "POST"])
def innovation_create(request: AuthedHttpRequest, project_slug: str) -> HttpResponse:
    """Write up a project as an innovation in one step, pre-filled from the project."""
    project = found(project_get(viewer=request.user, slug=project_slug))
    require(request.user, "projects.change_project", project)
    choices: dict[str, Any] = {
        "workstreams": list(collab_workstreams(collaborative=project.collaborative)),
        "themes": list(collab_themes(collaborative=project.collaborative)),
    }
    if request.method == "POST":
        form = InnovationForm(request.POST, **choices)
        if form.is_valid():
            try:
                innovation = services.innovation_create(
                    actor=request.user, project=project, data=form.to_input()
                )
            except ServiceError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, f"“{innovation.title}” is in the innovations library.")
                return redirect(innovation)
    else:
        form = InnovationForm(
            initial=InnovationForm.initial_from(services.prefill_from_project(project)), **choices
        )
    return render(
        request,
        "innovations/innovation_form.jinja",
        {
            "page_title": "Share as an innovation",
            "breadcrumbs": [
                HOME,
                (project.title, project.get_absolute_url()),
                ("Share as an innovation", ""),
            ],
            "form": form,
            "project": project,
            "heading": "Share your project as an innovation",
            "intro": "We have filled this in from your project's aim, storyboard and "
            "co-production. "
            "Its change ideas (with their drivers) and its measures go into the change package, "
            "and its live charts are the evidence.",
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def harvest(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The innovation harvest: write up a storyboard presented at a learning session."""
    board = found(sb.storyboard_get(viewer=request.user, pk=pk))
    require(request.user, "events.view_storyboards", board.session)
    collab = board.session.collaborative
    choices: dict[str, Any] = {
        "workstreams": list(collab_workstreams(collaborative=collab)),
        "themes": list(collab_themes(collaborative=collab)),
    }
    if request.method == "POST":
        form = InnovationForm(request.POST, **choices)
        if form.is_valid():
            try:
                innovation = services.innovation_harvest(
                    actor=request.user, storyboard=board, data=form.to_input()
                )
            except ServiceError as exc:
                add_service_error(form, exc)
            else:
                messages.success(
                    request, f"“{innovation.title}” was harvested at {board.session.title}."
                )
                return redirect(innovation)
    else:
        if board.project is not None:
            initial = services.prefill_from_project(board.project, storyboard=board)
        else:
            initial = services.InnovationInput(
                title=board.title, change=board.summary, workstream=board.workstream
            )
        form = InnovationForm(initial=InnovationForm.initial_from(initial), **choices)
    return render(
        request,
        "innovations/innovation_form.jinja",
        {
            "page_title": "Harvest an innovation",
            "breadcrumbs": [
                HOME,
                (board.session.title, board.session.get_absolute_url()),
                ("Harvest", ""),
            ],
            "form": form,
            "heading": f"Harvest “{board.title}” as an innovation",
            "intro": f"Presented at {board.session.title} by {board.organisation}. "
            "The session page lists the innovations harvested there.",
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def innovation_edit(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    innovation = found(selectors.innovation_get(viewer=request.user, slug=slug))
    require(request.user, "innovations.change_innovation", innovation)
    choices = _form_choices(innovation)
    version = version_token(innovation)
    if request.method == "POST":
        form = InnovationForm(request.POST, **choices)
        if form.is_valid():
            try:
                services.innovation_update(
                    actor=request.user,
                    innovation=innovation,
                    data=form.to_input(),
                    loaded_version=request.POST.get("version", ""),
                )
            except EditConflict:
                form.add_error(
                    None,
                    "Someone else changed this innovation while you were editing. Your text is "
                    "kept below; check their changes and save again.",
                )
            except ServiceError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, "Saved.")
                return redirect(innovation)
    else:
        form = InnovationForm(
            initial={
                **InnovationForm.initial_from(
                    services.InnovationInput(
                        title=innovation.title,
                        **{n: getattr(innovation, n) for n in services.TEXT_FIELDS if n != "title"},
                        stage=innovation.stage,
                        sharing=innovation.sharing,
                        workstream=innovation.workstream,
                        themes=list(innovation.themes.all()),
                    )
                )
            },
            **choices,
        )
    return render(
        request,
        "innovations/innovation_form.jinja",
        {
            "page_title": f"Edit {innovation.title}",
            "breadcrumbs": _crumbs(
                innovation, (innovation.title, innovation.get_absolute_url()), ("Edit", "")
            ),
            "form": form,
            "heading": f"Edit “{innovation.title}”",
            "version": version,
        },
        status=400 if request.method == "POST" else 200,
    )


# --- adopting ----------------------------------------------------------------------------


def _adopt_form(request: AuthedHttpRequest, innovation: Innovation, data: Any = None) -> AdoptForm:
    mine = creator_org_ids(request.user) - {innovation.organisation_id}
    members = selectors.organisations_by_id(mine)
    return AdoptForm(
        data,
        organisations=members,
        projects=selectors.editable_projects(viewer=request.user, organisation_ids=mine),
    )


@login_required
@require_http_methods(["GET", "POST"])
def adopt(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    """Record that your organisation is trying the innovation (where "steal" leads)."""
    innovation = found(selectors.innovation_get(viewer=request.user, slug=slug))
    require(request.user, "innovations.adopt_innovation", innovation)
    form = _adopt_form(request, innovation, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            adoption = services.adoption_create(
                actor=request.user,
                innovation=innovation,
                organisation=form.chosen_organisation(),
                data=form.to_input(),
                project=form.chosen_project(),
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                f"{adoption.organisation} is recorded as {adoption.get_status_display().lower()} "
                f"“{innovation.title}”. We have told the team that shared it.",
            )
            return redirect("innovations:adoption_detail", pk=adoption.pk)
    if not form.fields["organisation"].choices:  # type: ignore[attr-defined]
        raise PermissionDenied("Only people at another organisation can adopt this innovation.")
    return render(
        request,
        "innovations/adopt.jinja",
        {
            "page_title": f"Adopt {innovation.title}",
            "breadcrumbs": _crumbs(
                innovation, (innovation.title, innovation.get_absolute_url()), ("Adopt", "")
            ),
            "innovation": innovation,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def adoption_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """An adoption: move its status on, link a project, or start one from the package."""
    adoption = found(selectors.adoption_get(viewer=request.user, pk=pk))
    innovation = adoption.innovation
    can_change = request.user.has_perm("innovations.change_adoption", adoption)
    status_form = StatusForm(initial={"status": adoption.status})
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied("change_adoption")
        status_form = StatusForm(request.POST)
        if status_form.is_valid():
            try:
                services.adoption_set_status(
                    actor=request.user, adoption=adoption, data=status_form.to_input()
                )
            except ServiceError as exc:
                add_service_error(status_form, exc)
            else:
                messages.success(
                    request, f"Status changed to {adoption.get_status_display().lower()}."
                )
                return redirect("innovations:adoption_detail", pk=adoption.pk)
    return render(
        request,
        "innovations/adoption_detail.jinja",
        {
            "page_title": f"{adoption.organisation}: {innovation.title}",
            "breadcrumbs": _crumbs(
                innovation, (innovation.title, innovation.get_absolute_url()), ("Adoption", "")
            ),
            "adoption": adoption,
            "innovation": innovation,
            "steps": list(adoption.steps.all()),
            "can_change": can_change,
            "status_form": status_form,
            "start_form": StartProjectForm(),
            "status_tag": presenters.status_tag,
            "project_visible": adoption.project is not None
            and request.user.has_perm("projects.view_project", adoption.project),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def start_project(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Start a project at the adopting organisation from the innovation's change package."""
    adoption = found(selectors.adoption_get(viewer=request.user, pk=pk))
    require(request.user, "innovations.change_adoption", adoption)
    form = StartProjectForm(request.POST)
    if form.is_valid():
        try:
            project = services.adoption_start_project(
                actor=request.user,
                adoption=adoption,
                aim_statement=form.cleaned_data["aim_statement"],
                title=form.cleaned_data["title"],
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                f"“{project.title}” has started with the change package: its driver diagram and "
                "measures are ready for your data.",
            )
            return redirect(project)
    return render(
        request,
        "innovations/adoption_detail.jinja",
        {
            "page_title": f"{adoption.organisation}: {adoption.innovation.title}",
            "adoption": adoption,
            "innovation": adoption.innovation,
            "steps": list(adoption.steps.all()),
            "can_change": True,
            "status_form": StatusForm(initial={"status": adoption.status}),
            "start_form": form,
            "status_tag": presenters.status_tag,
            "project_visible": False,
        },
        status=400,
    )


# --- resources ---------------------------------------------------------------------------


@login_required
@require_POST
def resource_add(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    innovation = found(selectors.innovation_get(viewer=request.user, slug=slug))
    require(request.user, "innovations.change_innovation", innovation)
    form = ResourceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.resource_add(
                actor=request.user,
                innovation=innovation,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "The file is in the change package.")
            return redirect(innovation)
    ctx = _detail_context(request, innovation)
    ctx["resource_form"] = form
    return render(request, "innovations/innovation_detail.jinja", ctx, status=400)


def resource_file(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    innovation = found(selectors.innovation_get(viewer=request.user, slug=slug))
    resource = found(next((r for r in innovation.resources.all() if r.pk == pk), None))
    data = selectors.read_resource(resource)
    if data is None:
        raise Http404
    resp = HttpResponse(data, content_type=resource.content_type)
    disposition = "inline" if resource.content_type.startswith("image/") else "attachment"
    resp["Content-Disposition"] = (
        f'{disposition}; filename="{selectors.resource_download_name(resource)}"'
    )
    resp["X-Content-Type-Options"] = "nosniff"
    resp["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return resp


# --- change package file -----------------------------------------------------------------


def package_export(request: HttpRequest, slug: str) -> HttpResponse:
    """The change package as one versioned JSON file (see docs/innovations.md)."""
    innovation = found(selectors.innovation_get(viewer=request.user, slug=slug))
    doc = package.export_package(
        innovation,
        exported_at=timezone.now().isoformat(timespec="seconds"),
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    resp = HttpResponse(package.dumps(doc), content_type="application/json")
    resp["Content-Disposition"] = f'attachment; filename="{innovation.slug}.change-package.json"'
    return resp


@login_required
@require_http_methods(["GET", "POST"])
def package_import(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    collab = found(collaborative_get(viewer=request.user, slug=slug))
    members = {
        m.organisation.pk: m.organisation for m in collaborative_members(collaborative=collab)
    }
    orgs = [o for pk, o in members.items() if pk in creator_org_ids(request.user)]
    if not orgs:
        raise PermissionDenied("import_package")
    form = ImportForm(request.POST or None, request.FILES or None, organisations=orgs)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(package.MAX_BYTES + 1)
        try:
            innovation = package.package_import(
                actor=request.user,
                collaborative=collab,
                organisation=form.chosen_organisation(),
                data=data,
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"“{innovation.title}” was imported with its change package.")
            return redirect(innovation)
    return render(
        request,
        "innovations/import.jinja",
        {
            "page_title": "Import a change package",
            "breadcrumbs": [
                HOME,
                (collab.name, collab.get_absolute_url()),
                ("Import a change package", ""),
            ],
            "collab": collab,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )
