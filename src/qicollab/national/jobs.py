"""The national quarterly report (PDF) rendered in the background (3 to 3.5 s per click under
load, 1.1 to 1.2 s of CPU)."""

from __future__ import annotations

from django.urls import reverse

from qicollab.accounts.models import Person
from qicollab.jobs.models import Job
from qicollab.jobs.progress import Progress
from qicollab.jobs.registry import job_handler
from qicollab.jobs.services import JobRefused, job_output_save
from qicollab.national import exports, selectors
from qicollab.reports.pdf import PDF_CONTENT_TYPE

QUARTERLY_PDF = "national.quarterly_pdf"


def _scope(job: Job, person: Person) -> frozenset[int]:
    """The collaboratives of the report's programme whose rows ``person`` may see now."""
    programme = selectors.programme_get(slug=str(job.params.get("programme")))
    if programme is None:
        return frozenset()
    return selectors.rollup_collab_ids(viewer=person, programme=programme)


def may_download(job: Job, person: Person) -> bool:
    """Downloadable while the owner may still see every collaborative the report shows."""
    shown = (job.result or {}).get("collaboratives")
    if not isinstance(shown, list):
        return False
    allowed = _scope(job, person)
    return bool(allowed) and set(shown) <= allowed


@job_handler(QUARTERLY_PDF, retry_safe=True, may_download=may_download)
def quarterly_pdf(job: Job, progress: Progress) -> dict[str, object]:
    """Render the roll-up for its owner's scope; it reads only, so a retry repeats nothing."""
    owner = job.owner
    programme = selectors.programme_get(slug=str(job.params.get("programme")))
    ids = _scope(job, owner) if owner is not None else frozenset()
    if owner is None or programme is None or not ids:
        raise JobRefused(
            "You can no longer see this programme's figures, so its report was not made."
        )
    try:
        quarter = selectors.parse_quarter(str(job.params.get("quarter", "")))
    except selectors.BadPeriod as exc:
        raise JobRefused(str(exc)) from exc
    progress(0, 2, stage="Counting the figures")
    data = selectors.rollup(programme=programme, collab_ids=ids, quarter=quarter)
    progress(1, 2, stage="Laying out the PDF")
    body = exports.rollup_pdf(data)
    job_output_save(
        job=job,
        filename=exports.filename(data, "pdf"),
        content_type=PDF_CONTENT_TYPE,
        data=body,
    )
    return {
        "url": reverse("jobs:job_download", args=[job.pk]),
        "label": "Download the PDF",
        "bytes": len(body),
        "collaboratives": sorted(ids),
    }
