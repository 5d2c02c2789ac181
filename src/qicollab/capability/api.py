"""API routes for the 3 L's: aggregate counts only (the same selector as the page), with the
same small-count suppression (``suppressed``: counts withheld, see presenters.SUPPRESS_BELOW)."""

# No "from __future__ import annotations": ninja reads the signatures at import time.

from datetime import date

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


# --- Training records -------------------------------------------------------------------


class TrainedOut(Schema):
    collaborative: str
    since: date | None
    until: date | None
    suppressed_below: int
    total: int | None
    by_category: dict[str, int | None]
    by_kind: dict[str, int | None]


def _shown(counts: dict[str, int], sees: bool) -> dict[str, int | None]:
    """Counts of 1 to 4 people become ``None`` for viewers who may not see individuals."""
    return {
        k: None if presenters.group_suppressed(v, sees_individuals=sees) else v
        for k, v in counts.items()
    }


@router.get("/{slug}/people-trained", response=TrainedOut)
def people_trained(
    request: HttpRequest, slug: str, since: date | None = None, until: date | None = None
) -> dict[str, object]:
    """Distinct people who completed a course, by category and by kind of person; counts of
    fewer than 5 people are ``null`` unless the viewer is faculty or a lead."""
    collab = found(org_selectors.collaborative_get(viewer=request.user, slug=slug))
    if not request.user.has_perm("capability.view_training", collab):
        raise Http404
    sees = request.user.has_perm("capability.manage_training", collab)
    ids = [collab.pk]
    total = selectors.people_trained_count(ids, since=since, until=until)
    return {
        "collaborative": collab.slug,
        "since": since,
        "until": until,
        "suppressed_below": presenters.SUPPRESS_BELOW,
        "total": None if presenters.group_suppressed(total, sees_individuals=sees) else total,
        "by_category": _shown(
            selectors.people_trained_by_category(ids, since=since, until=until), sees
        ),
        "by_kind": _shown(selectors.people_trained_by_kind(ids, since=since, until=until), sees),
    }


class EnrolmentOut(Schema):
    collaborative: str
    course: str
    category: str
    level: str
    cohort: str
    starts_on: date
    status: str
    completed_on: date | None


@router.get("/me/training", response=list[EnrolmentOut])
def my_training(request: HttpRequest) -> list[dict[str, object]]:
    """The caller's own training record."""
    if not request.user.is_authenticated:
        raise Http404
    return [
        {
            "collaborative": e.cohort.course.collaborative.slug,
            "course": e.cohort.course.title,
            "category": e.cohort.course.category,
            "level": e.cohort.course.level,
            "cohort": e.cohort.name,
            "starts_on": e.cohort.starts_on,
            "status": e.status,
            "completed_on": e.completed_on,
        }
        for e in selectors.my_enrolments(person=request.user)
    ]
