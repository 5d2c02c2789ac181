"""API route for search: the same service, contract and visibility as the search page."""

# No "from __future__ import annotations": ninja reads the signatures at import time.

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from qicollab.api.schemas import ErrorOut, FieldErrorsOut
from qicollab.search import selectors
from qicollab.search.models import Kind
from qicollab.search.selectors import SearchFilters

router = Router(tags=["search"])


class SearchParams(Schema):
    q: str = Field(
        description="The words to search for (letters and numbers; at most 200 characters)."
    )
    kind: Kind | None = Field(None, description="Only results of this kind.")
    organisation: int | None = Field(None, ge=1, le=2**63 - 1, description="Organisation id.")
    workstream: int | None = Field(None, ge=1, le=2**63 - 1, description="Workstream id.")
    theme: int | None = Field(None, ge=1, le=2**63 - 1, description="Theme id.")
    page: int = Field(1, ge=1, le=100_000)


class SearchHitOut(Schema):
    kind: str
    kind_label: str
    title: str
    url: str
    snippet_html: str = Field(
        description="An extract around the matching words: HTML-escaped text with the "
        "words wrapped in <mark>."
    )
    organisation: str
    rank: float


class SearchResultsOut(Schema):
    query: str
    terms: list[str]
    total: int
    page: int
    pages: int
    results: list[SearchHitOut]


@router.get(
    "/search",
    response={200: SearchResultsOut, 401: ErrorOut, 422: FieldErrorsOut},
    summary="Search",
    description=(
        "Projects, PDSA cycles, storyboards, shared learning from deaths, people and "
        "organisations the caller may see, best match first, 20 a page. A search string "
        "with no letters or numbers, a null character or more than 200 characters is "
        "refused (422) with a message for field ``q``."
    ),
)
def search(request: HttpRequest, params: Query[SearchParams]) -> Any:
    results = selectors.search(
        viewer=request.user,
        query=params.q,
        filters=SearchFilters(
            kind=params.kind.value if params.kind else "",
            organisation_id=params.organisation,
            workstream_id=params.workstream,
            theme_id=params.theme,
        ),
        page=params.page,
    )
    return SearchResultsOut(
        query=results.query,
        terms=results.terms,
        total=results.total,
        page=results.page,
        pages=results.pages,
        results=[
            SearchHitOut(
                kind=h.kind,
                kind_label=h.kind_label,
                title=h.title,
                url=h.url,
                snippet_html=str(h.snippet),
                organisation=h.organisation,
                rank=h.rank,
            )
            for h in results.hits
        ],
    )
