"""The job status page: a progress bar that updates itself (htmx polling) and works without it."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from qicollab.core.http import found, signed_in
from qicollab.jobs import selectors
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
