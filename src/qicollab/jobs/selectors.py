"""Reads of jobs: a person sees the jobs they started, nobody else's."""

from __future__ import annotations

import uuid

from qicollab.accounts.models import Person
from qicollab.jobs.models import Job


def job_get(*, viewer: Person, pk: uuid.UUID) -> Job | None:
    """The job ``pk`` if ``viewer`` started it; ``None`` (a 404) otherwise."""
    return Job.objects.filter(pk=pk, owner=viewer).first()


def job_list(*, viewer: Person, limit: int = 20) -> list[Job]:
    """The viewer's most recent jobs, newest first."""
    return list(Job.objects.filter(owner=viewer).order_by("-created_at")[:limit])
