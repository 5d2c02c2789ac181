"""The public showcase: innovations marked public, with their charts, for anyone (no login).

Search engines may index these pages (they carry a description and a canonical address)
and the Atom feed announces new public innovations.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from qicollab.core.http import found, paginate
from qicollab.innovations import presenters, selectors
from qicollab.innovations.models import Innovation

SHOWCASE = ("Showcase", "/showcase/")


def showcase(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.public_innovations(), per_page=20)
    return render(
        request,
        "innovations/showcase.jinja",
        {
            "page_title": "Showcase of innovations",
            "breadcrumbs": [("Home", "/"), ("Showcase", "")],
            "page": page,
            "stage_tag": presenters.stage_tag,
            "canonical": request.build_absolute_uri(reverse("showcase:showcase")),
        },
    )


def showcase_detail(request: HttpRequest, slug: str) -> HttpResponse:
    innovation = found(selectors.public_innovation_get(slug=slug))
    # A public innovation comes from a public project (the service insists), so its
    # evidence charts are public too; the selector still asks as the visitor.
    measures = selectors.evidence_measures(viewer=request.user, innovation=innovation) or []
    spread = selectors.spread(viewer=request.user, innovation=innovation)
    return render(
        request,
        "innovations/showcase_detail.jinja",
        {
            "page_title": innovation.title,
            "breadcrumbs": [("Home", "/"), SHOWCASE, (innovation.title, "")],
            "innovation": innovation,
            **selectors.package_parts(innovation),
            "charts": presenters.evidence_charts(measures),
            "spread_sentence": presenters.spread_sentence(spread.counts),
            "stage_tag": presenters.stage_tag,
            "canonical": request.build_absolute_uri(
                reverse("showcase:showcase_detail", args=[innovation.slug])
            ),
            "description": (innovation.problem or innovation.change)[:300],
        },
    )


class ShowcaseFeed(Feed):  # type: ignore[type-arg]
    """Atom feed of the showcase's newest public innovations."""

    feed_type = Atom1Feed
    title = "qicollab showcase: innovations"
    subtitle = "Changes that worked in NHS quality-improvement collaboratives, free to steal."

    def link(self) -> str:
        return reverse("showcase:showcase")

    def items(self) -> list[Innovation]:
        return list(selectors.public_innovations()[:50])

    def item_title(self, item: Innovation) -> str:
        return item.title

    def item_description(self, item: Innovation) -> str:
        return f"{item.organisation.name}: {item.problem or item.change}"[:1000]

    def item_link(self, item: Innovation) -> str:
        return reverse("showcase:showcase_detail", args=[item.slug])

    def item_updateddate(self, item: Innovation) -> dt.datetime:
        return item.updated_at

    def item_pubdate(self, item: Innovation) -> dt.datetime:
        return item.created_at
