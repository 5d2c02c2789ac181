"""API for learning from deaths: the same selectors, services and permissions as the pages.

Case records answer only to the organisation's mortality-review team (anyone else gets a
404), and every read of a case record is written to the access log.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from qicollab.api.schemas import InputSchema
from qicollab.core.http import found, signed_in
from qicollab.deaths import choices as c
from qicollab.deaths import selectors, services
from qicollab.deaths.models import Death
from qicollab.organisations.models import Collaborative, Organisation
from qicollab.organisations.selectors import collaborative_get

router = Router(tags=["learning from deaths"])


class CaseOut(Schema):
    id: int
    case_reference: str
    date_of_death: date
    quarter: str
    age_band: str
    setting: str
    service: str
    category: str
    learning_disability: bool
    autism: bool
    leder_status: str
    in_scope: bool
    screening_outcome: str | None = None

    @staticmethod
    def from_death(d: Death) -> dict[str, Any]:
        screening = getattr(d, "screening", None)
        return {
            "id": d.pk,
            "case_reference": d.case_reference,
            "date_of_death": d.date_of_death,
            "quarter": d.quarter.slug,
            "age_band": d.age_band,
            "setting": d.setting,
            "service": d.service,
            "category": d.category,
            "learning_disability": d.learning_disability,
            "autism": d.autism,
            "leder_status": d.leder_status,
            "in_scope": d.in_scope,
            "screening_outcome": screening.outcome if screening else None,
        }


class ReviewOut(Schema):
    stage: int
    method: str
    status: str
    overall_rating: int | None
    avoidability: str = Field(
        description="By meaning: definitely_not, slight, possibly, probably, strong, definitely"
    )
    avoidability_number: int | None = Field(
        description="In the organisation's numbering of the scale"
    )
    more_likely_than_not: bool


class CaseDetailOut(CaseOut):
    nhs_number: str | None = None
    reviews: list[ReviewOut]
    family_involved_in_review: bool | None = None


class CaseIn(InputSchema):
    case_reference: str
    date_of_death: date
    age_band: str
    setting: str
    service: str
    category: str
    notified_by: str
    notified_on: date | None = None
    learning_disability: bool = False
    autism: bool = False
    leder_status: str = ""
    leder_referred_on: date | None = None
    leder_reference: str = ""
    leder_reason: str = ""
    in_scope: bool = True
    out_of_scope_reason: str = ""
    nhs_number: str = ""


class CountsOut(Schema):
    in_scope: int
    reviewed: int
    percent_reviewed: float | None
    investigated: int
    more_likely_than_not: int
    family_involved: int


class QuarterOut(Schema):
    quarter: str
    label: str
    start: date
    end: date
    all: CountsOut
    learning_disability: CountsOut
    leder_referred: int
    adults_18_64: CountsOut
    adults_65_plus: CountsOut


class SummaryOut(Schema):
    id: int
    organisation: str
    title: str
    what_happened: str
    what_learned: str
    what_changed: str
    phase_of_care: str
    themes: list[str]
    shared_on: date


class SharingOut(Schema):
    start: date
    end: date
    members: int
    sharing: int
    percentage: float | None
    organisations_sharing: list[str]
    organisations_not_sharing: list[str]


def _org(request: HttpRequest, slug: str, perm: str) -> Organisation:
    org = found(selectors.organisation_get(viewer=request.user, slug=slug))
    if not request.user.has_perm(perm, org):
        raise Http404
    return org


def _collab(request: HttpRequest, slug: str, perm: str) -> Collaborative:
    collab = found(collaborative_get(viewer=request.user, slug=slug))
    if not request.user.has_perm(perm, collab):
        raise Http404
    return collab


@router.get("/organisations/{slug}/cases", response=list[CaseOut])
def list_cases(request: HttpRequest, slug: str, quarter: str = "") -> list[dict[str, Any]]:
    """The organisation's cases (mortality-review team only), newest first."""
    from qicollab.deaths.identifiers import FinancialQuarter

    org = _org(request, slug, "deaths.view_case")
    qs = selectors.case_list(
        viewer=request.user,
        organisation=org,
        filters=selectors.CaseFilters(quarter=FinancialQuarter.parse(quarter)),
    )
    return [CaseOut.from_death(d) for d in qs[:500]]


def _detail(request: HttpRequest, org: Organisation, death: Death) -> dict[str, Any]:
    settings = selectors.settings_for(organisation=org)
    reviews = selectors.case_reviews(death=death)
    family = getattr(death, "family", None)
    return {
        **CaseOut.from_death(death),
        "nhs_number": death.nhs_number or None,
        "reviews": [
            {
                "stage": r.stage,
                "method": r.method,
                "status": r.status,
                "overall_rating": r.overall_rating,
                "avoidability": r.avoidability,
                "avoidability_number": c.avoidability_number(
                    r.avoidability, settings.scale_orientation
                )
                if r.avoidability
                else None,
                "more_likely_than_not": r.more_likely_than_not,
            }
            for r in reviews
        ],
        "family_involved_in_review": family.involved_in_review if family else None,
    }


@router.get("/organisations/{slug}/cases/{pk}", response=CaseDetailOut)
def get_case(request: HttpRequest, slug: str, pk: int) -> dict[str, Any]:
    """One case record. The read is written to the organisation's access log."""
    org = _org(request, slug, "deaths.view_case")
    death = found(
        services.case_open(
            viewer=signed_in(request),
            organisation=org,
            pk=pk,
            action=c.AccessAction.API,
            what="Case record (API)",
        )
    )
    return _detail(request, org, death)


@router.post("/organisations/{slug}/cases", response={201: CaseOut})
def create_case(request: HttpRequest, slug: str, payload: CaseIn) -> tuple[int, dict[str, Any]]:
    """Record a death. Validation errors come back as 422 with a message per field."""
    from django.core.exceptions import ValidationError

    org = _org(request, slug, "deaths.change_case")
    data = payload.dict()
    errors: dict[str, list[str]] = {}
    for name, allowed in (
        ("age_band", c.AgeBand.values),
        ("setting", c.Setting.values),
        ("category", c.Category.values),
        ("notified_by", c.NotifiedBy.values),
        ("leder_status", ["", *c.LederStatus.values]),
    ):
        if data[name] not in allowed:
            errors[name] = [f"Use one of: {', '.join(v for v in allowed if v)}."]
    if errors:
        raise ValidationError(errors)
    death = services.case_create(actor=signed_in(request), organisation=org, data=data)
    return 201, CaseOut.from_death(death)


def _counts(k: selectors.Counts) -> dict[str, Any]:
    return {
        "in_scope": k.in_scope,
        "reviewed": k.reviewed,
        "percent_reviewed": k.percent_reviewed,
        "investigated": k.investigated,
        "more_likely_than_not": k.more_likely_than_not,
        "family_involved": k.family_involved,
    }


@router.get("/organisations/{slug}/dashboard", response=list[QuarterOut])
def dashboard(
    request: HttpRequest, slug: str, start: str = "", end: str = ""
) -> list[dict[str, Any]]:
    """Quarterly figures (``start``/``end`` like ``2024-Q1``; default: the last eight quarters)."""
    org = _org(request, slug, "deaths.view_dashboard")
    rows = selectors.quarterly_figures(
        organisations=[org], quarters=selectors.quarters_between(start, end)
    )
    return [
        {
            "quarter": r.quarter.slug,
            "label": r.quarter.label,
            "start": r.quarter.start,
            "end": r.quarter.end,
            "all": _counts(r.all),
            "learning_disability": _counts(r.learning_disability),
            "leder_referred": r.leder_referred,
            "adults_18_64": _counts(r.adults_18_64),
            "adults_65_plus": _counts(r.adults_65_plus),
        }
        for r in rows
    ]


@router.get("/collaboratives/{slug}/learning", response=list[SummaryOut])
def learning(
    request: HttpRequest, slug: str, theme: str = "", phase: str = "", q: str = ""
) -> list[dict[str, Any]]:
    """Approved, de-identified learning summaries shared with the collaborative."""
    collab = _collab(request, slug, "deaths.view_library")
    qs = selectors.library(viewer=request.user, collaborative=collab, theme=theme, phase=phase, q=q)
    return [
        {
            "id": s.pk,
            "organisation": s.organisation.name,
            "title": s.title,
            "what_happened": s.what_happened,
            "what_learned": s.what_learned,
            "what_changed": s.what_changed,
            "phase_of_care": s.phase_of_care,
            "themes": [t.slug for t in s.themes.all()],
            "shared_on": s.shared_at.date() if s.shared_at else None,
        }
        for s in qs[:500]
    ]


@router.get("/collaboratives/{slug}/sharing", response=SharingOut)
def sharing(request: HttpRequest, slug: str, start: date, end: date) -> dict[str, Any]:
    """The share of member organisations that shared learning from deaths in the period."""
    from django.core.exceptions import ValidationError

    collab = _collab(request, slug, "deaths.view_collaborative_figures")
    if end < start:
        raise ValidationError({"end": ["The end of the period must be after its start."]})
    s = selectors.sharing_figures(collaborative=collab, start=start, end=end)
    return {
        "start": start,
        "end": end,
        "members": s.members,
        "sharing": s.sharing,
        "percentage": s.percentage,
        "organisations_sharing": [o.name for o in s.organisations_sharing],
        "organisations_not_sharing": [o.name for o in s.organisations_not_sharing],
    }
