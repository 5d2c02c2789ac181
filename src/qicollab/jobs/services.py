"""Start, run, finish and recover jobs. The only code that writes ``Job`` rows.

A job runs at most once at a time and never twice after success: the worker claims it
with a conditional UPDATE (``queued`` → ``running``), so a duplicate delivery of the same
task finds nothing to claim. A handler that fails ends ``failed`` with a reason the person
can act on; unexpected errors are logged with the job id and shown as a plain sentence.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from qicollab.accounts.models import Person
from qicollab.core.logging import current_request_id, request_id_bound
from qicollab.core.tasks import enqueue_with_transaction
from qicollab.jobs.models import Job, JobOutput, JobStatus
from qicollab.jobs.progress import Progress
from qicollab.jobs.registry import handler_for

logger = logging.getLogger(__name__)

UNEXPECTED = (
    "Something went wrong while this ran, and nothing from it was saved. The error has been "
    "logged for the support team; you can start it again."
)
INTERRUPTED = (
    "The worker running this stopped before it finished (for example, it was restarted), "
    "and nothing from it was saved. Start it again."
)


class JobRefused(Exception):
    """A handler's refusal with a message for the person who started the job."""


def job_start(
    *,
    actor: Person | None,
    kind: str,
    title: str,
    params: dict[str, Any] | None = None,
    idempotency_key: str = "",
    request_id: str = "",
) -> tuple[Job, bool]:
    """Create a job and enqueue it with the caller's transaction (``core.tasks``).

    With an ``idempotency_key``, starting the same work twice (a double click, a client
    retrying a push) returns the first job and ``False`` instead of running it again.
    ``request_id`` defaults to the current request's, so the job's log lines join its own.
    """
    request_id = request_id or current_request_id() or ""
    handler_for(kind)  # an unknown kind is a programming error: fail before writing
    if idempotency_key:
        existing = Job.objects.filter(owner=actor, kind=kind, idempotency_key=idempotency_key)
        found = existing.first()
        if found is not None:
            return found, False
    try:
        with transaction.atomic():
            job = Job.objects.create(
                owner=actor,
                kind=kind,
                title=title[:200],
                params=params or {},
                idempotency_key=idempotency_key[:100],
                request_id=request_id[:64],
            )
    except IntegrityError:  # the same key raced in from another request
        return Job.objects.get(owner=actor, kind=kind, idempotency_key=idempotency_key), False
    enqueue_with_transaction(lambda: _enqueue(job.pk))
    return job, True


def job_start_or_reuse(
    *,
    actor: Person,
    kind: str,
    title: str,
    params: dict[str, Any],
    version: str,
    request_id: str = "",
) -> tuple[Job, bool]:
    """Start a job for work that its parameters and the data's ``version`` fully describe.

    The idempotency key is a digest of both, so a double click or a reload while the data
    is unchanged returns the job already started (or finished) instead of rendering again,
    and any change to the data starts a fresh one. A job with that key that *failed* does
    not block the person: it gives up its key and the work starts again.
    """
    digest = hashlib.sha256(
        json.dumps([kind, params, version], sort_keys=True, default=str).encode()
    ).hexdigest()
    Job.objects.filter(
        owner=actor, kind=kind, idempotency_key=digest, status=JobStatus.FAILED
    ).update(idempotency_key="")
    return job_start(
        actor=actor,
        kind=kind,
        title=title,
        params=params,
        idempotency_key=digest,
        request_id=request_id,
    )


def job_output_save(*, job: Job, filename: str, content_type: str, data: bytes) -> JobOutput:
    """Keep the file a job made; call it as the handler's last step, once all is rendered.

    Nothing is written before the file is complete, so a job that fails leaves no file. A
    retried job replaces its earlier file rather than adding a second.
    """
    output, _ = JobOutput.objects.update_or_create(
        job=job,
        defaults={"filename": filename[:200], "content_type": content_type, "data": data},
    )
    return output


def _enqueue(job_id: Any, *, delay: timedelta | None = None) -> None:
    from qicollab.jobs.tasks import run_job

    task = run_job
    if delay is not None and task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + delay)
    task.enqueue(str(job_id))


def job_run(job_id: str) -> None:
    """Run one job in this process (called by the task the worker picked up)."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        logger.info("Job %s was already taken or finished; not running it again", job_id)
        return
    job = Job.objects.get(pk=job_id)
    with request_id_bound(job.request_id):
        _run_claimed(job)


def _run_claimed(job: Job) -> None:
    spec = handler_for(job.kind)
    try:
        result = spec.func(job, Progress(job))
    except JobRefused as exc:
        _finish(job, status=JobStatus.FAILED, error=str(exc))
    except ValidationError as exc:
        _finish(job, status=JobStatus.FAILED, error=" ".join(exc.messages))
    except Exception:
        logger.exception("Job %s (%s) failed on attempt %s", job.pk, job.kind, job.attempts)
        if spec.retry_safe and job.attempts < spec.max_attempts:
            Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED, stage="Retrying")
            _enqueue(job.pk, delay=retry_delay(job.attempts))
        else:
            _finish(job, status=JobStatus.FAILED, error=UNEXPECTED)
    else:
        _finish(job, status=JobStatus.SUCCEEDED, result=result)


def retry_delay(attempt: int) -> timedelta:
    """Exponential back-off: 30 s, 2 min, 8 min, … capped at an hour.

    >>> [retry_delay(n).total_seconds() for n in (1, 2, 3)]
    [30.0, 120.0, 480.0]
    """
    return timedelta(seconds=min(3600, 30 * 4 ** (attempt - 1)))


def _finish(
    job: Job, *, status: str, result: dict[str, Any] | None = None, error: str = ""
) -> None:
    fields: dict[str, Any] = {
        "status": status,
        "finished_at": timezone.now(),
        "error": error,
        "result": result,
    }
    if status == JobStatus.SUCCEEDED and job.total is not None:
        fields["done"] = job.total
    Job.objects.filter(pk=job.pk).update(**fields)


def jobs_recover_stale(*, now: Any = None) -> int:
    """Deal with jobs whose worker died: retry the retry-safe ones, fail the rest.

    A job is stale when it has been ``running`` with no heartbeat for
    ``JOB_STALE_AFTER`` seconds. Handlers write in one transaction, so a killed worker
    left nothing half-applied. Returns how many jobs were recovered.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.JOB_STALE_AFTER)
    stale = list(Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=cutoff))
    for job in stale:
        try:
            spec = handler_for(job.kind)
        except KeyError:
            spec = None
        if spec is not None and spec.retry_safe and job.attempts < spec.max_attempts:
            n = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
                status=JobStatus.QUEUED, stage="Retrying after an interruption"
            )
            if n:
                _enqueue(job.pk)
        else:
            Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
                status=JobStatus.FAILED, finished_at=now, error=INTERRUPTED
            )
    return len(stale)


def jobs_purge(*, now: Any = None) -> int:
    """Delete finished jobs older than ``JOB_RETENTION_DAYS``; returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.JOB_RETENTION_DAYS)
    deleted, _ = Job.objects.filter(
        status__in=[JobStatus.SUCCEEDED, JobStatus.FAILED], finished_at__lt=cutoff
    ).delete()
    return deleted
