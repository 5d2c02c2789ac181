"""Storyboard PDFs rendered in the background (0.7 to 1 s of CPU each, 2 to 3 s under load)."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils.text import slugify

from qicollab.accounts.models import Person
from qicollab.jobs.models import Job
from qicollab.jobs.progress import Progress
from qicollab.jobs.registry import job_handler, schedule
from qicollab.jobs.services import JobRefused, job_output_save
from qicollab.measures import alerts
from qicollab.measures import storyboard as sb
from qicollab.projects.models import Project
from qicollab.projects.selectors import visible_projects
from qicollab.reports.pdf import PDF_CONTENT_TYPE, render_pdf

STORYBOARD_PDF = "measures.storyboard_pdf"
SIZES = {"a4": "A4 portrait", "a3": "A3 landscape"}


def _project(job: Job, person: Person) -> Project | None:
    """The job's project, if ``person`` may (still) read it."""
    return visible_projects(viewer=person).filter(pk=job.params.get("project")).first()


def may_download(job: Job, person: Person) -> bool:
    """A storyboard is downloadable while its owner may still read the project."""
    return _project(job, person) is not None


@job_handler(STORYBOARD_PDF, retry_safe=True, may_download=may_download)
def storyboard_pdf(job: Job, progress: Progress) -> dict[str, object]:
    """Render the storyboard as its owner sees it; it reads only, so a retry repeats nothing."""
    owner = job.owner
    project = _project(job, owner) if owner is not None else None
    if owner is None or project is None:
        raise JobRefused("You can no longer see this project, so its storyboard was not made.")
    size = str(job.params.get("size"))
    if size not in SIZES:
        raise JobRefused("Choose A4 portrait or A3 landscape.")
    progress(0, 2, stage="Drawing the charts")
    story = sb.storyboard(project, owner, chart_width=520 if size == "a4" else 440)
    progress(1, 2, stage="Laying out the PDF")
    body = render_pdf(
        "measures/storyboard_print.jinja",
        {"s": story, "size": size, "size_label": SIZES[size]},
        base_url=str(job.params.get("base_url") or "") or None,
    )
    name = f"{slugify(project.title)[:60] or 'project'}-storyboard-{size}.pdf"
    job_output_save(job=job, filename=name, content_type=PDF_CONTENT_TYPE, data=body)
    return {
        "url": reverse("jobs:job_download", args=[job.pk]),
        "label": "Download the PDF",
        "bytes": len(body),
    }


# --- notifications: new signals and data due ---------------------------------------------


@job_handler("measures.signals_notify", retry_safe=True)
def signals_notify_job(job: Job, progress: Progress) -> dict[str, object]:
    """Each signal run is announced once (a dedupe key), so a retry repeats nothing."""
    return {"signals": alerts.signals_notify()}


@job_handler("measures.data_due_notify", retry_safe=True)
def data_due_notify_job(job: Job, progress: Progress) -> dict[str, object]:
    """Each measure and period is announced due once and overdue once."""
    return {"notifications": alerts.data_due_notify()}


schedule(
    "measures.signals_notify",
    every=timedelta(minutes=30),
    kind="measures.signals_notify",
    title="Tell teams of new signals on their charts",
)
schedule(
    "measures.data_due_notify",
    every=timedelta(days=1),
    kind="measures.data_due_notify",
    title="Tell measure owners of data due or overdue",
)
