"""API for the collaborative's structure: themes with evidence counts, workstreams with their
projects. Same selectors and permissions as the pages: anyone who may see the collaborative;
projects and counts only those the caller may see. (Goals, the portfolio, signals, the
dashboard and coaching are the read side: ``insights.api``.)"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from qicollab.api.auth import public_auth
from qicollab.collaborative import selectors
from qicollab.core.http import found
from qicollab.organisations.models import Collaborative
from qicollab.organisations.selectors import collaborative_get
from qicollab.projects.selectors import project_list

router = Router(tags=["collaborative hub"])


class PrincipleOut(Schema):
    id: int
    text: str
    projects_evidencing: int


class ThemeEvidenceOut(Schema):
    slug: str
    name: str
    description: str
    counts_note: str
    principles: list[PrincipleOut]


class ProjectRefOut(Schema):
    slug: str
    title: str
    status: str
    lead_organisation: str
    latest_score: float | None


class WorkstreamProjectsOut(Schema):
    slug: str
    name: str
    description: str
    goal_statement: str
    leads: list[str]
    projects: list[ProjectRefOut]


def _collab(request: HttpRequest, slug: str) -> Collaborative:
    return found(collaborative_get(viewer=request.user, slug=slug))


@router.get("/collaboratives/{slug}/themes", response=list[ThemeEvidenceOut], auth=public_auth)
def theme_list(request: HttpRequest, slug: str) -> Any:
    collab = _collab(request, slug)
    counts = selectors.theme_counts(viewer=request.user, collaborative=collab)
    return [
        {
            "slug": t.slug,
            "name": t.name,
            "description": t.description,
            "counts_note": "Counts include only projects the caller may see.",
            "principles": [
                {"id": p.pk, "text": p.text, "projects_evidencing": counts[t.pk][p.pk]}
                for p in t.principles.all()
            ],
        }
        for t in selectors.themes(collaborative=collab)
    ]


@router.get(
    "/collaboratives/{slug}/workstreams", response=list[WorkstreamProjectsOut], auth=public_auth
)
def workstream_list(request: HttpRequest, slug: str) -> Any:
    collab = _collab(request, slug)
    by_ws: dict[int, list[dict[str, Any]]] = {}
    for p in project_list(viewer=request.user, collaborative=collab):
        if p.workstream_id is None:
            continue
        by_ws.setdefault(p.workstream_id, []).append(
            {
                "slug": p.slug,
                "title": p.title,
                "status": p.status,
                "lead_organisation": p.lead_organisation.name,
                "latest_score": None
                if (score := getattr(p, "latest_score", None)) is None
                else float(score),
            }
        )
    return [
        {
            "slug": w.slug,
            "name": w.name,
            "description": w.description,
            "goal_statement": w.goal_statement,
            "leads": [p.full_name for p in w.leads.all()],
            "projects": by_ws.get(w.pk, []),
        }
        for w in selectors.workstreams(collaborative=collab)
    ]
