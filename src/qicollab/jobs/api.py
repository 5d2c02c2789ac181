"""``GET /api/jobs/{id}``: the status, progress and result of a job the caller started."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from qicollab.core.http import found, signed_in
from qicollab.jobs import selectors
from qicollab.jobs.models import Job

router = Router(tags=["jobs"])


class JobOut(Schema):
    id: uuid.UUID
    kind: str
    title: str
    status: str
    stage: str
    done: int
    total: int | None
    percent: int | None
    result: dict[str, Any] | None
    error: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @staticmethod
    def of(job: Job) -> dict[str, Any]:
        return {
            "id": job.pk,
            "kind": job.kind,
            "title": job.title,
            "status": job.status,
            "stage": job.stage,
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "result": job.result if isinstance(job.result, dict) else None,
            "error": job.error,
            "created_at": job.created_at,
            "started_at": job.started_at,
            "finished_at": job.finished_at,
        }


@router.get("/{job_id}", response=JobOut)
def get_job(request: HttpRequest, job_id: uuid.UUID) -> dict[str, Any]:
    """A job you started: poll until ``status`` is ``succeeded`` or ``failed``."""
    return JobOut.of(found(selectors.job_get(viewer=signed_in(request), pk=job_id)))
