"""The project storyboard: one page, and a PDF in A4 portrait or A3 landscape.

The PDF takes seconds to draw, so it is a background job (``measures/jobs.py``): the
page's buttons POST here, the person lands on the job's page, which shows progress and
then offers the file.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from qicollab.jobs.views import start_report
from qicollab.measures import storyboard as sb
from qicollab.measures.jobs import SIZES, STORYBOARD_PDF
from qicollab.projects.views.common import LoginNeeded, crumbs, get_project, public_view


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
@require_http_methods(["GET", "POST"])
def storyboard_pdf(request: HttpRequest, slug: str, size: str) -> HttpResponse:
    """POST: start (or reuse) the job that makes the PDF. GET (an old link): the page."""
    project = get_project(request, slug)
    if request.method != "POST":
        return HttpResponseRedirect(reverse("measures:storyboard", args=[project.slug]))
    if not request.user.is_authenticated:
        raise LoginNeeded  # a job has an owner: visitors to a public project sign in first
    return start_report(
        request,
        kind=STORYBOARD_PDF,
        title=f"Storyboard PDF ({SIZES[size]}): {project.title}",
        params={"project": project.pk, "size": size},
    )
