"""The job status page: a progress bar that updates itself (htmx polling) and works without it."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from qicollab.core.http import found, signed_in
from qicollab.jobs import selectors, services
from qicollab.jobs.presenters import job_view


@login_required
def job_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """One job the viewer started (404 for anyone else's)."""
    job = found(selectors.job_get(viewer=signed_in(request), pk=pk))
    view = job_view(job)
    htmx = getattr(request, "htmx", False)
    template = "jobs/_progress.jinja" if htmx else "jobs/job_detail.jinja"
    response = render(request, template, {"job": view, "page_title": job.title})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def job_download(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The file a finished job made: only its owner, and only while they may still see it."""
    output = found(selectors.job_output_get(viewer=signed_in(request), pk=pk))
    response = HttpResponse(bytes(output.data), content_type=output.content_type)
    response["Content-Disposition"] = f'attachment; filename="{output.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def start_report(
    request: HttpRequest, *, kind: str, title: str, params: dict[str, Any]
) -> HttpResponse:
    """Start (or reuse) a report job for the signed-in person; 303 to its status page.

    The caller has already checked the person's permission on what the report shows; the
    job's handler checks it again when it runs, and the download checks it once more.
    """
    job, _ = services.job_start_or_reuse(
        actor=signed_in(request),
        kind=kind,
        title=title,
        params={**params, "base_url": request.build_absolute_uri("/")},
        version=selectors.data_version(),
    )
    response = HttpResponseRedirect(reverse("jobs:job_detail", args=[job.pk]))
    response.status_code = 303  # See Other: the status page is fetched with GET
    return response
