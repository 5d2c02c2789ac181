"""The learning-from-deaths board report (PDF) rendered in the background (2.5 to 4 s per click
under load, 0.7 to 1.1 s of CPU)."""

from __future__ import annotations

from django.urls import reverse

from qicollab.accounts.models import Person
from qicollab.deaths import exports, selectors
from qicollab.jobs.models import Job
from qicollab.jobs.progress import Progress
from qicollab.jobs.registry import job_handler
from qicollab.jobs.services import JobRefused, job_output_save
from qicollab.organisations.models import Organisation
from qicollab.reports.pdf import PDF_CONTENT_TYPE

DASHBOARD_PDF = "deaths.dashboard_pdf"
PERM = "deaths.view_dashboard"


def _organisation(job: Job, person: Person) -> Organisation | None:
    """The report's organisation, if ``person`` may (still) see its dashboard."""
    org = selectors.organisation_get(viewer=person, slug=str(job.params.get("organisation")))
    return org if org is not None and person.has_perm(PERM, org) else None


def may_download(job: Job, person: Person) -> bool:
    """The board report is downloadable while its owner may still see the dashboard."""
    return _organisation(job, person) is not None


@job_handler(DASHBOARD_PDF, retry_safe=True, may_download=may_download)
def dashboard_pdf(job: Job, progress: Progress) -> dict[str, object]:
    """Render the dashboard's board report; it reads only, so a retry repeats nothing."""
    owner = job.owner
    org = _organisation(job, owner) if owner is not None else None
    if owner is None or org is None:
        raise JobRefused("You can no longer see this dashboard, so its report was not made.")
    progress(0, 2, stage="Counting the figures")
    quarters = selectors.quarters_between(
        str(job.params.get("start", "")), str(job.params.get("end", ""))
    )
    rows = selectors.quarterly_figures(organisations=[org], quarters=quarters)
    split = selectors.settings_for(organisation=org).split_adult_ages
    progress(1, 2, stage="Laying out the PDF")
    body = exports.dashboard_pdf(rows, organisation=org, split_ages=split)
    name = exports.filename(org, "learning-from-deaths", "pdf")
    job_output_save(job=job, filename=name, content_type=PDF_CONTENT_TYPE, data=body)
    return {
        "url": reverse("jobs:job_download", args=[job.pk]),
        "label": "Download the PDF",
        "bytes": len(body),
    }
