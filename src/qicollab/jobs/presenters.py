"""How a job reads on a page and in the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from qicollab.jobs.models import Job, JobStatus


@dataclass(frozen=True)
class JobView:
    id: str
    title: str
    status: str
    status_label: str
    finished: bool
    stage: str
    done: int
    total: int | None
    percent: int | None
    error: str
    result: dict[str, Any] | None
    result_url: str
    result_label: str
    status_url: str

    @property
    def counts(self) -> str:
        """``1,200 of 5,000`` (or ``1,200`` while the total is unknown)."""
        if self.total is None:
            return f"{self.done:,}" if self.done else ""
        return f"{self.done:,} of {self.total:,}"


def job_view(job: Job) -> JobView:
    result = job.result if isinstance(job.result, dict) else None
    return JobView(
        id=str(job.pk),
        title=job.title,
        status=job.status,
        status_label=JobStatus(job.status).label,
        finished=job.finished,
        stage=job.stage,
        done=job.done,
        total=job.total,
        percent=job.percent,
        error=job.error,
        result=result,
        result_url=str((result or {}).get("url", "")),
        result_label=str((result or {}).get("label", "Open the result")),
        status_url=reverse("jobs:job_detail", args=[job.pk]),
    )
