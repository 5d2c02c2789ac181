"""The driver diagram: view, and edit in place (plain forms that htmx enhances)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from qicollab.core.forms import add_service_error
from qicollab.core.http import AuthedHttpRequest
from qicollab.core.services import EditConflict, version_token
from qicollab.projects import presenters, services
from qicollab.projects.diagram import driver_diagram_svg
from qicollab.projects.forms.drivers import NodeForm
from qicollab.projects.models import Project
from qicollab.projects.services import ProjectError
from qicollab.projects.services.drivers import KINDS, delete_blocker, delete_consequences, noun
from qicollab.projects.views.common import (
    crumbs,
    get_project,
    public_view,
    show_conflict,
)


def _node(project: Project, kind: str, pk: int) -> Any:
    if kind not in KINDS:
        raise Http404
    node = KINDS[kind][0].objects.filter(project=project, pk=pk).first()
    if node is None:
        raise Http404
    return node


def _editor(
    request: HttpRequest,
    project: Project,
    forms: dict[str, NodeForm] | None = None,
    status: str = "",
) -> dict[str, Any]:
    can_edit = request.user.has_perm("projects.change_project", project)
    add_forms = (
        {k: NodeForm(project=project, kind=k, prefix=f"add-{k}") for k in KINDS} if can_edit else {}
    )
    add_forms.update(forms or {})
    return {
        "project": project,
        "dv": presenters.diagram_view(project),
        "add_forms": add_forms,
        "can_edit": can_edit,
        "status_message": status,
        "state_style": presenters.state_style,
    }


def _page(request: HttpRequest, ctx: dict[str, Any]) -> HttpResponse:
    return render(
        request,
        "projects/drivers.jinja",
        {
            "page_title": "Driver diagram",
            "active_nav": "projects",
            "breadcrumbs": crumbs(ctx["project"], ("Driver diagram", "")),
            **ctx,
        },
    )


def _done(request: HttpRequest, project: Project, message: str) -> HttpResponse:
    """htmx gets the refreshed editor (with a spoken status); a plain form goes back to the page."""
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request, "projects/_driver_editor.jinja", _editor(request, project, status=message)
        )
    messages.success(request, message)
    return redirect("projects:drivers", project.slug)


@public_view
def drivers(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_project(request, slug)
    return _page(request, _editor(request, project))


@public_view
def diagram_svg(request: HttpRequest, slug: str) -> HttpResponse:
    """The diagram as a standalone SVG file (for slides, posters and PDFs)."""
    project = get_project(request, slug)
    response = HttpResponse(
        driver_diagram_svg(project, standalone=True), content_type="image/svg+xml"
    )
    response["Content-Disposition"] = f'inline; filename="{project.slug}-driver-diagram.svg"'
    return response


@login_required
@require_POST
def node_add(request: AuthedHttpRequest, slug: str, kind: str) -> HttpResponse:
    project = get_project(request, slug, "projects.change_project")
    if kind not in KINDS:
        raise Http404
    form = NodeForm(request.POST, project=project, kind=kind, prefix=f"add-{kind}")
    if form.is_valid():
        try:
            node = services.node_add(
                actor=request.user,
                project=project,
                kind=kind,
                text=form.cleaned_data["text"],
                links=form.cleaned_data.get("links") or (),
            )
        except (ProjectError, ValidationError) as exc:
            add_service_error(form, exc)
        else:
            return _done(request, project, f"Added the {noun(kind)} '{node.text}'.")
    ctx = _editor(
        request,
        project,
        forms={kind: form},
        status=f"The {noun(kind)} was not added: see the error.",
    )
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "projects/_driver_editor.jinja", ctx)
    return _page(request, ctx)


@login_required
def node_edit(request: AuthedHttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    """Rename a node and choose its links. htmx shows the form in place of the node."""
    project = get_project(request, slug, "projects.change_project")
    node = _node(project, kind, pk)
    initial: dict[str, Any] = {"text": node.text, "loaded_version": version_token(node)}
    link_attr = KINDS[kind][1]
    if link_attr:
        initial["links"] = [n.pk for n in getattr(node, link_attr).all()]
    if kind == "idea":
        initial["description"] = node.description
    form = NodeForm(request.POST or None, project=project, kind=kind, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.node_update(
                actor=request.user,
                node=node,
                text=form.cleaned_data["text"],
                links=form.cleaned_data.get("links") if "links" in form.fields else None,
                description=form.cleaned_data.get("description") if kind == "idea" else None,
                loaded_version=form.cleaned_data["loaded_version"],
            )
        except EditConflict as exc:
            conflict = show_conflict(form, exc, noun(kind))
        except (ProjectError, ValidationError) as exc:
            add_service_error(form, exc)
        else:
            return _done(request, project, f"Saved the {noun(kind)} '{form.cleaned_data['text']}'.")
    ctx = {
        "project": project,
        "form": form,
        "kind": kind,
        "node": node,
        "noun": noun(kind),
        "conflict": conflict,
    }
    if request.htmx:  # type: ignore[attr-defined]
        response = render(request, "projects/_node_form.jinja", ctx)
        if request.method == "POST":  # errors: show the form again in place of the node
            return reswap(retarget(response, f"#node-{kind}-{pk}"), "innerHTML")
        return response
    return render(
        request,
        "projects/node_form.jinja",
        {
            **ctx,
            "page_title": f"Edit {noun(kind)}",
            "active_nav": "projects",
            "breadcrumbs": crumbs(
                project, ("Driver diagram", reverse("projects:drivers", args=[slug])), ("Edit", "")
            ),
        },
    )


@login_required
@require_POST
def node_move(request: AuthedHttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    project = get_project(request, slug, "projects.change_project")
    node = _node(project, kind, pk)
    direction = request.POST.get("direction", "")
    if direction not in ("up", "down"):
        raise Http404
    services.node_move(actor=request.user, node=node, direction=direction)
    return _done(request, project, f"Moved '{node.text}' {direction}.")


@login_required
def node_delete(request: AuthedHttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    """Always a confirmation page: deleting loses links that are tedious to rebuild."""
    project = get_project(request, slug, "projects.change_project")
    node = _node(project, kind, pk)
    blocker = delete_blocker(node)
    if request.method == "POST" and not blocker:
        services.node_delete(actor=request.user, node=node)
        messages.success(request, f"Deleted the {noun(kind)} '{node.text}'.")
        return redirect("projects:drivers", slug)
    return render(
        request,
        "projects/node_delete.jinja",
        {
            "page_title": f"Delete this {noun(kind)}?",
            "active_nav": "projects",
            "breadcrumbs": crumbs(
                project,
                ("Driver diagram", reverse("projects:drivers", args=[slug])),
                ("Delete", ""),
            ),
            "project": project,
            "node": node,
            "noun": noun(kind),
            "blocker": blocker,
            "consequences": delete_consequences(node),
        },
    )
