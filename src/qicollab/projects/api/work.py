"""API: the driver diagram (nested JSON and SVG) and PDSA cycles."""

# No "from __future__ import annotations": ninja reads the signatures at import time.

import copy
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja.errors import HttpError

from qicollab.api.auth import public_auth
from qicollab.api.versions import required_version
from qicollab.core.http import AuthedHttpRequest
from qicollab.core.services import EditConflict, version_token
from qicollab.projects import selectors, services
from qicollab.projects.api.common import project_or_404, router, valid
from qicollab.projects.api.schemas import ConflictOut, PdsaIn, PdsaOut
from qicollab.projects.diagram import build_diagram, driver_diagram_svg, nested_json
from qicollab.projects.forms.pdsa import PdsaForm
from qicollab.projects.models import PdsaCycle, Project


@router.get("/{slug}/driver-diagram", auth=public_auth, summary="The driver diagram as nested JSON")
def diagram_json(request: HttpRequest, slug: str) -> Any:
    """Primary drivers, secondary drivers (with the primary drivers they feed) and change
    ideas (with the secondary drivers they act on, their ramp state and cycle count)."""
    return nested_json(build_diagram(project_or_404(request, slug)))


@router.get(
    "/{slug}/driver-diagram.svg",
    auth=public_auth,
    summary="The driver diagram as SVG",
    openapi_extra={"responses": {200: {"content": {"image/svg+xml": {}}, "description": "SVG"}}},
)
def diagram_svg(request: HttpRequest, slug: str) -> HttpResponse:
    project = project_or_404(request, slug)
    return HttpResponse(driver_diagram_svg(project, standalone=True), content_type="image/svg+xml")


_BOOL = {True: "yes", False: "no", None: ""}


def pdsa_out(c: PdsaCycle) -> dict[str, Any]:
    out = {
        f: getattr(c, f)
        for f in PdsaOut.model_fields
        if hasattr(c, f) and f not in ("change_ideas",)
    }
    out |= {
        "change_ideas": [i.pk for i in c.change_ideas.all()],
        "owner_id": c.owner_id,
        "version": version_token(c),
    }
    return out


def _form(project: Project, cycle: PdsaCycle | None, body: PdsaIn) -> PdsaForm:
    """The page's form, holding the cycle's current values with the request's changes."""
    # A new cycle starts from the model's defaults, as the page's form does.
    data: dict[str, Any] = {"purpose": "test", "status": "plan"}
    if cycle is not None:
        for name in PdsaForm.Meta.fields:
            value = getattr(cycle, name)
            data[name] = [o.pk for o in value.all()] if name == "change_ideas" else value
        data["owner"] = cycle.owner_id
    for name, value in body.dict(exclude_unset=True).items():
        if name == "version":
            continue
        data["owner" if name == "owner_id" else name] = value
    for name in ("carried_out_as_planned", "prediction_confirmed"):
        data[name] = _BOOL.get(data.get(name), data.get(name))
    data = {k: ("" if v is None else v) for k, v in data.items()}
    return PdsaForm(
        data=data,
        instance=copy.copy(cycle) if cycle else PdsaCycle(project=project),
        project=project,
    )


def _data(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if k != "change_ideas"}


@router.get("/{slug}/pdsa-cycles", response=list[PdsaOut], auth=public_auth, summary="PDSA cycles")
def pdsa_list(request: HttpRequest, slug: str) -> Any:
    return [pdsa_out(c) for c in selectors.pdsa_cycles(project=project_or_404(request, slug))]


@router.get(
    "/{slug}/pdsa-cycles/{cycle_id}", response=PdsaOut, auth=public_auth, summary="One PDSA cycle"
)
def pdsa_detail(request: HttpRequest, slug: str, cycle_id: int) -> Any:
    cycle = selectors.pdsa_get(project=project_or_404(request, slug), pk=cycle_id) or _404()
    return pdsa_out(cycle)


def _404() -> PdsaCycle:
    raise HttpError(404, "There is no such PDSA cycle in this project.")


@router.post("/{slug}/pdsa-cycles", response={201: PdsaOut}, summary="Plan a PDSA cycle")
def pdsa_create(request: AuthedHttpRequest, slug: str, body: PdsaIn) -> Any:
    project = project_or_404(request, slug, "projects.change_project")
    d = valid(_form(project, None, body))
    cycle = services.pdsa_cycle_create(
        actor=request.user,
        project=project,
        data=_data(d),
        change_ideas=d["change_ideas"],
    )
    return 201, pdsa_out(selectors.pdsa_get(project=project, pk=cycle.pk) or _404())


@router.patch(
    "/{slug}/pdsa-cycles/{cycle_id}",
    response={200: PdsaOut, 409: ConflictOut},
    summary="Record the next stage of a PDSA cycle",
)
def pdsa_update(request: AuthedHttpRequest, slug: str, cycle_id: int, body: PdsaIn) -> Any:
    project = project_or_404(request, slug, "projects.change_project")
    cycle = selectors.pdsa_get(project=project, pk=cycle_id) or _404()
    version = required_version(request, body.version, cycle)
    d = valid(_form(project, cycle, body))
    try:
        services.pdsa_cycle_update(
            actor=request.user,
            cycle=cycle,
            data=_data(d),
            change_ideas=d["change_ideas"],
            loaded_version=version,
        )
    except EditConflict as exc:
        return 409, {
            "detail": "Someone else changed this cycle after you read it.",
            "current_version": version_token(exc.current),
            "current": pdsa_out(selectors.pdsa_get(project=project, pk=cycle_id) or _404()),
        }
    return 200, pdsa_out(selectors.pdsa_get(project=project, pk=cycle_id) or _404())
