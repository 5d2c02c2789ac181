"""Reads of jobs: a person sees the jobs they started, nobody else's."""

from __future__ import annotations

import uuid

from django.db.models import Max
from simple_history.models import registered_models

from qicollab.accounts.models import Person
from qicollab.jobs.models import Job, JobOutput, JobStatus
from qicollab.jobs.registry import handler_for


def job_get(*, viewer: Person, pk: uuid.UUID) -> Job | None:
    """The job ``pk`` if ``viewer`` started it; ``None`` (a 404) otherwise."""
    return Job.objects.filter(pk=pk, owner=viewer).first()


def job_list(*, viewer: Person, limit: int = 20) -> list[Job]:
    """The viewer's most recent jobs, newest first."""
    return list(Job.objects.filter(owner=viewer).order_by("-created_at")[:limit])


def job_output_get(*, viewer: Person, pk: uuid.UUID) -> JobOutput | None:
    """The file a finished job of ``viewer``'s made, if they may still see what it shows.

    ``None`` (a 404) when the job is someone else's, unfinished, failed or purged, and when
    its handler's ``may_download`` says the owner has lost access to the underlying object
    since the job ran (they left the team, the project became private).
    """
    job = Job.objects.filter(pk=pk, owner=viewer, status=JobStatus.SUCCEEDED).first()
    if job is None:
        return None
    output = JobOutput.objects.filter(job=job).first()
    if output is None:
        return None
    try:
        check = handler_for(job.kind).may_download
    except KeyError:
        return None
    if check is None or not check(job, viewer):
        return None
    return output


def data_version() -> str:
    """A token that changes whenever any history-tracked record is created, changed or deleted.

    Reports read across many tables, so the token is the newest audit-history row of every
    tracked model (one indexed MAX each): a report started twice with the same token would
    show the same data, and reuses the first job.
    """
    parts = []
    for table in sorted(registered_models):
        model = registered_models[table]
        # Many-to-many through tables are registered too; their changes add a history row
        # to the model that owns the field, which is counted.
        manager = getattr(model._meta, "simple_history_manager_attribute", None)
        history = getattr(model, manager, None) if manager else None
        if history is None:
            continue
        newest = history.model.objects.aggregate(m=Max("history_id"))["m"]
        parts.append(f"{table}:{newest}")
    return ";".join(parts)
