"""The search page: one form, results with the matching words marked, filters."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from qicollab.search import selectors
from qicollab.search.forms import SearchForm


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and len(raw) < 7 else 1


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Everything the viewer may see that matches the words, best first."""
    form = SearchForm(request.GET or None, viewer=request.user)
    results = None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        results = selectors.search(
            viewer=request.user,
            query=form.cleaned_data["q"],
            filters=form.filters(),
            page=_page_number(request),
        )
    pagination = {}
    if results is not None and results.pages > 1:
        params = request.GET.copy()

        def link(n: int) -> str:
            params["page"] = str(n)
            return "?" + params.urlencode()

        if results.page > 1:
            pagination["previous"] = {
                "href": link(results.page - 1),
                "labelText": f"Page {results.page - 1} of {results.pages}",
            }
        if results.page < results.pages:
            pagination["next"] = {
                "href": link(results.page + 1),
                "labelText": f"Page {results.page + 1} of {results.pages}",
            }
    fragment = bool(getattr(request, "htmx", False))
    template = "search/_results.jinja" if fragment else "search/search.jinja"
    return render(
        request,
        template,
        {
            "page_title": f"Search: {results.query}" if results else "Search",
            "active_nav": "search",
            "form": form,
            "results": results,
            "pagination": pagination,
            "fragment": fragment,
        },
    )
