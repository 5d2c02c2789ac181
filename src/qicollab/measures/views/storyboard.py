"""The project storyboard: one page, and a PDF in A4 portrait or A3 landscape."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from qicollab.measures import storyboard as sb
from qicollab.projects.views.common import crumbs, get_project, public_view
from qicollab.reports.pdf import PDF_CONTENT_TYPE, render_pdf

SIZES = {"a4": "A4 portrait", "a3": "A3 landscape"}


@public_view
def storyboard_page(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_project(request, slug)
    return render(
        request,
        "measures/storyboard.jinja",
        {
            "page_title": f"Storyboard: {project.title}",
            "active_nav": "projects",
            "breadcrumbs": crumbs(project, ("Storyboard", "")),
            "s": sb.storyboard(project, request.user),
            "sizes": SIZES,
        },
    )


@public_view
def storyboard_pdf(request: HttpRequest, slug: str, size: str) -> HttpResponse:
    project = get_project(request, slug)
    story = sb.storyboard(project, request.user, chart_width=520 if size == "a4" else 440)
    body = render_pdf(
        "measures/storyboard_print.jinja",
        {"s": story, "size": size, "size_label": SIZES[size]},
        request=request,
    )
    response = HttpResponse(body, content_type=PDF_CONTENT_TYPE)
    name = f"{slugify(project.title)[:60] or 'project'}-storyboard-{size}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
