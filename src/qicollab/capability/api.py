"""API routes for the 3 L's: aggregate counts only (the same selector as the page), with the
same small-count suppression (``suppressed``: counts withheld, see presenters.SUPPRESS_BELOW)."""

# No "from __future__ import annotations": ninja reads the signatures at import time.

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from qicollab.capability import presenters, selectors
from qicollab.core.http import found
from qicollab.organisations import selectors as org_selectors

router = Router(tags=["capability"])


class SubjectRowOut(Schema):
    subject: str
    learn: int
    live: int
    lead: int
    moved_up: int
    mostly_learning: bool


class AggregatesOut(Schema):
    collaborative: str
    suppressed: bool
    members_assessed: int | None
    definition: str
    baseline_count: int | None
    current_count: int | None
    percent_change: float | None
    subjects: list[SubjectRowOut]


@router.get("/{slug}/aggregates", response=AggregatesOut)
def aggregates(request: HttpRequest, slug: str) -> dict[str, object]:
    collab = found(org_selectors.collaborative_get(viewer=request.user, slug=slug))
    if not request.user.has_perm("capability.view_aggregates", collab):
        raise Http404
    agg = selectors.capability_aggregates(collaborative=collab)
    sees = selectors.sees_individuals(viewer=request.user, collaborative=collab)
    if presenters.group_suppressed(agg.members_assessed, sees_individuals=sees):
        return {
            "collaborative": collab.slug,
            "suppressed": True,
            "members_assessed": None,
            "definition": agg.definition.describe(),
            "baseline_count": None,
            "current_count": None,
            "percent_change": None,
            "subjects": [],
        }
    return {
        "collaborative": collab.slug,
        "suppressed": False,
        "members_assessed": agg.members_assessed,
        "definition": agg.definition.describe(),
        "baseline_count": agg.change.baseline if agg.change else None,
        "current_count": agg.change.current if agg.change else None,
        "percent_change": agg.change.percent if agg.change else None,
        "subjects": [
            {
                "subject": r.subject.name,
                "learn": r.at_level[1],
                "live": r.at_level[2],
                "lead": r.at_level[3],
                "moved_up": r.moved_up,
                "mostly_learning": r.mostly_learning,
            }
            for r in agg.rows
        ],
    }
