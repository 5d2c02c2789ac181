"""Similar work: other teams' projects on the same problem, from the search index.

The project's own document gives its most telling words (title, summary and aim, change
ideas, measure names, PDSA learning); projects sharing any of them are ranked by the
engine, then those in the same workstream come first. Only projects the viewer may open.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qicollab.search import engines
from qicollab.search.models import Kind, SearchDocument
from qicollab.search.selectors import visible_documents
from qicollab.search.text import WORD, key_terms

CANDIDATES = 30


@dataclass(frozen=True)
class SimilarProject:
    title: str
    url: str
    organisation: str
    same_workstream: bool
    shared_words: list[str]


def similar_projects(*, viewer: Any, project: Any, limit: int = 5) -> list[SimilarProject]:
    """Up to ``limit`` visible projects most like ``project`` (two queries after roles)."""
    own = SearchDocument.objects.filter(kind=Kind.PROJECT, object_id=project.pk).first()
    if own is None:
        return []
    terms = key_terms(f"{own.title} {own.title} {own.summary} {own.details}")
    if not terms:
        return []
    qs = engines.matching(
        visible_documents(viewer=viewer).filter(kind=Kind.PROJECT).exclude(object_id=project.pk),
        terms,
        any_term=True,
    )
    rows: list[dict[str, Any]] = [
        dict(r)
        for r in qs.values(
            "title", "url", "organisation_name", "workstream_id", "summary", "details"
        )[:CANDIDATES]
    ]
    scored = []
    for i, r in enumerate(rows):
        same = own.workstream_id is not None and r["workstream_id"] == own.workstream_id
        words = _words(r)
        scored.append((not same, i, r, same, [t for t in terms if t in words]))
    scored.sort(key=lambda s: (s[0], s[1]))
    return [
        SimilarProject(
            title=r["title"],
            url=r["url"],
            organisation=r["organisation_name"],
            same_workstream=same,
            shared_words=shared[:4],
        )
        for _, _, r, same, shared in scored[:limit]
    ]


def _words(row: dict[str, Any]) -> set[str]:
    return set(WORD.findall(f"{row['title']} {row['summary']} {row['details']}".lower()))


def project_similar_work(*, project: Any, viewer: Any, **_: Any) -> dict[str, Any]:
    """The project page's "Similar work" panel (registered in ``SearchConfig.ready``)."""
    if not getattr(viewer, "is_authenticated", False):
        return {}
    return {"similar_work": similar_projects(viewer=viewer, project=project)}
