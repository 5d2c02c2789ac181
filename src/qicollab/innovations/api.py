"""API for innovations and adoptions: the same selectors, services and rules as the pages.

Reads are open to visitors for public innovations (as the showcase); adopting and moving an
adoption on need a person with a role at the adopting organisation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from qicollab.api.auth import public_auth
from qicollab.api.schemas import InputSchema
from qicollab.core.http import found, require, signed_in
from qicollab.innovations import selectors, services
from qicollab.innovations.models import Adoption, Innovation, Stage
from qicollab.innovations.rules import creator_org_ids
from qicollab.organisations.selectors import collaborative_get
from qicollab.projects.selectors import project_get

router = Router(tags=["innovations"])


class InnovationSummaryOut(Schema):
    slug: str
    title: str
    organisation: str
    stage: str
    sharing: str
    workstream: str | None
    themes: list[str]
    spread_count: int = Field(description="Organisations testing, adapted or adopted.")
    outcome_improvement: bool = Field(
        description="A special-cause improvement on an outcome evidence measure the caller may see."
    )


class PackageIdeaOut(Schema):
    text: str
    description: str
    primary_driver: str
    secondary_driver: str


class PackageMeasureOut(Schema):
    name: str
    measure_type: str
    value_type: str
    numerator_definition: str
    denominator_definition: str
    inclusions: str
    exclusions: str
    data_source: str
    frequency: str
    unit: str
    rate_multiplier: int
    chart_type: str
    direction: str
    target: float | None


class InnovationAdoptionOut(Schema):
    id: int
    organisation: str
    status: str
    status_date: dt.date
    what_changed: str
    why_abandoned: str
    project: str | None = Field(description="The linked project's slug, if the caller may see it.")


class InnovationDetailOut(Schema):
    slug: str
    title: str
    organisation: str
    collaborative: str
    project: str | None
    problem: str
    change: str
    evidence_summary: str
    cost_effort: str
    helped: str
    hindered: str
    contacts: str
    lived_experience: str
    stage: str
    sharing: str
    ideas: list[PackageIdeaOut]
    measures: list[PackageMeasureOut]
    adoptions: list[InnovationAdoptionOut]


class AdoptionIn(InputSchema):
    organisation: str = Field(description="The adopting organisation's slug.")
    status: str
    on: dt.date
    what_changed: str = ""
    why_abandoned: str = ""
    note: str = ""
    project: str = Field("", description="Slug of a project of the organisation to link.")


class AdoptionStatusIn(InputSchema):
    status: str
    on: dt.date
    what_changed: str = ""
    why_abandoned: str = ""
    note: str = ""


class StartProjectIn(InputSchema):
    title: str = ""
    aim_statement: str = ""


class StartedProjectOut(Schema):
    slug: str
    title: str


def _adoption_out(request: HttpRequest, a: Adoption) -> dict[str, Any]:
    visible = a.project is not None and request.user.has_perm("projects.view_project", a.project)
    return {
        "id": a.pk,
        "organisation": a.organisation.name,
        "status": a.status,
        "status_date": a.status_date,
        "what_changed": a.what_changed,
        "why_abandoned": a.why_abandoned,
        "project": a.project.slug if visible and a.project else None,
    }


@router.get(
    "/collaboratives/{slug}/innovations", response=list[InnovationSummaryOut], auth=public_auth
)
def innovation_list(
    request: HttpRequest, slug: str, stage: str = "", evidence: str = "", min_spread: int = 0
) -> Any:
    """The collaborative's innovations the caller may see (the innovations page's filters)."""
    collab = found(collaborative_get(viewer=request.user, slug=slug))
    rows = selectors.innovation_list(
        viewer=request.user,
        collaborative=collab,
        filters=selectors.Filters(
            stage=stage if stage in Stage.values else "",
            evidence=evidence if evidence in ("improvement", "none") else "",
            min_spread=max(0, min(min_spread, 10_000)),
        ),
    )
    return [
        {
            "slug": r.innovation.slug,
            "title": r.innovation.title,
            "organisation": r.innovation.organisation.name,
            "stage": r.innovation.stage,
            "sharing": r.innovation.sharing,
            "workstream": r.innovation.workstream.name if r.innovation.workstream else None,
            "themes": [t.name for t in r.themes],
            "spread_count": r.spread_count,
            "outcome_improvement": r.improvement,
        }
        for r in rows
    ]


def _innovation(request: HttpRequest, slug: str) -> Innovation:
    return found(selectors.innovation_get(viewer=request.user, slug=slug))


@router.get("/innovations/{slug}", response=InnovationDetailOut, auth=public_auth)
def innovation_detail(request: HttpRequest, slug: str) -> Any:
    """One innovation with its change package and who is trying it."""
    inn = _innovation(request, slug)
    parts = selectors.package_parts(inn)
    spread = selectors.spread(viewer=request.user, innovation=inn)
    project_visible = inn.project is not None and request.user.has_perm(
        "projects.view_project", inn.project
    )
    return {
        **{n: getattr(inn, n) for n in services.TEXT_FIELDS},
        "slug": inn.slug,
        "organisation": inn.organisation.name,
        "collaborative": inn.collaborative.slug,
        "project": inn.project.slug if project_visible and inn.project else None,
        "stage": inn.stage,
        "sharing": inn.sharing,
        "ideas": parts["ideas"],
        "measures": parts["package_measures"],
        "adoptions": [_adoption_out(request, a) for a in spread.adoptions],
    }


@router.post("/innovations/{slug}/adoptions", response={201: InnovationAdoptionOut})
def adoption_create(request: HttpRequest, slug: str, payload: AdoptionIn) -> Any:
    """Record that an organisation is trying the innovation; the source team is emailed."""
    person = signed_in(request)
    inn = _innovation(request, slug)
    require(person, "innovations.adopt_innovation", inn)
    orgs = {o.slug: o for o in selectors.organisations_by_id(creator_org_ids(person))}
    org = orgs.get(payload.organisation)
    if org is None:
        raise services.InnovationError(
            "Choose an organisation where you are staff, programme manager or partner.",
            "organisation",
        )
    project = None
    if payload.project:
        project = project_get(viewer=person, slug=payload.project)
        if project is None:
            raise services.InnovationError("There is no such project you can see.", "project")
    adoption = services.adoption_create(
        actor=person,
        innovation=inn,
        organisation=org,
        project=project,
        data=services.StatusInput(
            status=payload.status,
            on=payload.on,
            what_changed=payload.what_changed,
            why_abandoned=payload.why_abandoned,
            note=payload.note,
        ),
    )
    return 201, _adoption_out(request, adoption)


def _adoption(request: HttpRequest, pk: int) -> Adoption:
    adoption = found(selectors.adoption_get(viewer=request.user, pk=pk))
    require(request.user, "innovations.change_adoption", adoption)
    return adoption


@router.post("/adoptions/{pk}/status", response=InnovationAdoptionOut)
def adoption_status(request: HttpRequest, pk: int, payload: AdoptionStatusIn) -> Any:
    """Move an adoption on: a dated step of the spread timeline."""
    adoption = _adoption(request, pk)
    services.adoption_set_status(
        actor=signed_in(request),
        adoption=adoption,
        data=services.StatusInput(**payload.dict()),
    )
    return _adoption_out(request, adoption)


@router.post("/adoptions/{pk}/start-project", response={201: StartedProjectOut})
def adoption_start_project(request: HttpRequest, pk: int, payload: StartProjectIn) -> Any:
    """Start a project at the adopting organisation from the change package."""
    adoption = _adoption(request, pk)
    project = services.adoption_start_project(
        actor=signed_in(request),
        adoption=adoption,
        title=payload.title,
        aim_statement=payload.aim_statement,
    )
    return 201, {"slug": project.slug, "title": project.title}
