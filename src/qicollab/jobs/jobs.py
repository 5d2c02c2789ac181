"""The jobs app's own scheduled housekeeping."""

from __future__ import annotations

from datetime import timedelta

from qicollab.jobs.models import Job
from qicollab.jobs.progress import Progress
from qicollab.jobs.registry import job_handler, schedule
from qicollab.jobs.services import jobs_purge, jobs_recover_stale


@job_handler("jobs.recover_stale", retry_safe=True)
def recover_stale(job: Job, progress: Progress) -> dict[str, object]:
    return {"recovered": jobs_recover_stale()}


@job_handler("jobs.purge", retry_safe=True)
def purge(job: Job, progress: Progress) -> dict[str, object]:
    return {"deleted": jobs_purge()}


schedule(
    "jobs.recover_stale",
    every=timedelta(minutes=1),
    kind="jobs.recover_stale",
    title="Recover jobs whose worker stopped",
)
schedule("jobs.purge", every=timedelta(days=1), kind="jobs.purge", title="Delete old finished jobs")
