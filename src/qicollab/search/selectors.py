"""The one search service: what the viewer may find, ranked, highlighted and filtered.

Pages and the API both call :func:`search` and get the same :class:`SearchResults`.
Visibility comes from the owning apps' own selectors at query time (projects and PDSA
cycles: ``projects.selectors.visible_projects``; people: ``accounts.selectors.person_list``;
organisations: ``organisations.selectors.organisation_list``; storyboards and shared
learning: the collaboratives the viewer may see), applied in the same query as the match,
so neither a result nor its snippet can come from something the viewer may not open.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from markupsafe import Markup

from qicollab.accounts.roles import roles_for
from qicollab.core.services import ServiceError
from qicollab.search import engines
from qicollab.search.models import Kind, SearchDocument
from qicollab.search.text import MAX_QUERY_CHARS, highlight, terms_of

PER_PAGE = 20


class SearchInputError(ServiceError):
    """A search string the service will not run, with the message to show (field ``q``)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="q")


@dataclass(frozen=True)
class SearchHit:
    kind: str
    kind_label: str
    title: str
    url: str
    snippet: Markup
    organisation: str
    rank: float


@dataclass(frozen=True)
class SearchResults:
    query: str
    terms: list[str]
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 0


@dataclass(frozen=True)
class SearchFilters:
    kind: str = ""
    organisation_id: int | None = None
    workstream_id: int | None = None
    theme_id: int | None = None


def visible_documents(*, viewer: Any) -> QuerySet[SearchDocument]:
    """Every document whose object the viewer may open (one SQL condition, no query yet)."""
    from qicollab.accounts.selectors import person_list
    from qicollab.organisations.selectors import organisation_list
    from qicollab.projects.selectors import visible_projects

    r = roles_for(viewer)
    qs = SearchDocument.objects.all()
    if r.is_superuser:
        return qs
    cond = Q(
        kind__in=[Kind.PROJECT, Kind.PDSA],
        project_id__in=visible_projects(viewer=viewer).order_by().values("pk"),
    )
    if r.is_authenticated:
        cond |= Q(
            kind__in=[Kind.STORYBOARD, Kind.LEARNING],
            collaborative_id__in=list(r.visible_collab_ids),
        )
        cond |= Q(
            kind=Kind.PERSON,
            object_id__in=person_list(viewer=viewer).order_by().values("pk"),
        )
        cond |= Q(
            kind=Kind.ORGANISATION,
            object_id__in=organisation_list(viewer=viewer).order_by().values("pk"),
        )
    return qs.filter(cond)


def check_query(query: str) -> list[str]:
    """The words of ``query``, or :class:`SearchInputError` saying what to change."""
    if "\x00" in query:
        raise SearchInputError(
            "The search contains a null character (U+0000). Delete it, or type the words again."
        )
    if len(query) > MAX_QUERY_CHARS:
        raise SearchInputError(
            f"Search for {MAX_QUERY_CHARS} characters or fewer (this search has {len(query):,})."
        )
    terms = terms_of(query)
    if not terms:
        raise SearchInputError("Enter the words to search for (letters or numbers).")
    return terms


def _filtered(qs: QuerySet[SearchDocument], f: SearchFilters) -> QuerySet[SearchDocument]:
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.organisation_id is not None:
        qs = qs.filter(organisation_id=f.organisation_id)
    if f.workstream_id is not None:
        qs = qs.filter(workstream_id=f.workstream_id)
    if f.theme_id is not None:
        qs = qs.filter(theme_ids__contains=f",{f.theme_id},")
    return qs


def search(
    *, viewer: Any, query: str, filters: SearchFilters | None = None, page: int = 1
) -> SearchResults:
    """One page of what ``viewer`` may find for ``query``, best first.

    Raises :class:`SearchInputError` for a string that cannot be searched. Three queries
    whatever the size of the index or the page (count, page, snippets), after the viewer's
    roles.
    """
    terms = check_query(query)
    qs = engines.matching(
        _filtered(visible_documents(viewer=viewer), filters or SearchFilters()), terms
    )
    total = qs.count()
    pages = max(1, math.ceil(total / PER_PAGE))
    page = min(max(1, page), pages)
    start = (page - 1) * PER_PAGE
    # "rank" is annotated by the engine (invisible to the type checker).
    docs: list[dict[str, Any]] = list(
        qs.values("pk", "kind", "title", "url", "organisation_name", "rank")[  # type: ignore[misc]
            start : start + PER_PAGE
        ]
    )
    marks = engines.snippets([d["pk"] for d in docs], terms)
    labels = dict(Kind.choices)
    hits = [
        SearchHit(
            kind=d["kind"],
            kind_label=labels.get(d["kind"], d["kind"]),
            title=d["title"],
            url=d["url"],
            snippet=highlight(marks.get(d["pk"], "")),
            organisation=d["organisation_name"] if d["kind"] != Kind.ORGANISATION else "",
            rank=float(d["rank"] or 0.0),
        )
        for d in docs
    ]
    return SearchResults(query=query, terms=terms, hits=hits, total=total, page=page, pages=pages)


@dataclass(frozen=True)
class FilterChoices:
    organisations: QuerySet[Any]
    workstreams: QuerySet[Any]
    themes: QuerySet[Any]


def filter_choices(*, viewer: Any) -> FilterChoices:
    """The filters offered: organisations the viewer may open, and the workstreams and
    themes of the collaboratives they may see (lazy querysets, read when rendered)."""
    from qicollab.collaborative.models import Theme, Workstream
    from qicollab.organisations.selectors import organisation_list

    r = roles_for(viewer)
    collab = Q() if r.is_superuser else Q(collaborative_id__in=list(r.visible_collab_ids))
    return FilterChoices(
        organisations=organisation_list(viewer=viewer),
        workstreams=Workstream.objects.filter(collab).order_by("name", "pk"),
        themes=Theme.objects.filter(collab).order_by("name", "pk"),
    )
