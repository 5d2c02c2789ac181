"""A job is work started by a person (or the scheduler) that runs outside the web request.

Django's Tasks API carries the work to a worker; this row is what people see: status,
progress, the result or the reason it failed. It outlives the task backend's own record
(the RQ backend keeps results only for a while) and is the idempotency record.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "In progress"
    SUCCEEDED = "succeeded", "Finished"
    FAILED = "failed", "Failed"


FINISHED = (JobStatus.SUCCEEDED, JobStatus.FAILED)


class Job(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=80)
    title = models.CharField(max_length=200, help_text="What the person started, in their words.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    stage = models.CharField(max_length=200, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    idempotency_key = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    request_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "kind", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="jobs_job_idempotency_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int | None:
        """Whole per cent done, or ``None`` while the size of the work is unknown."""
        if not self.total:
            return None
        return min(100, int(100 * self.done / self.total))


class ScheduleRun(models.Model):
    """When a scheduled job was last enqueued: one row per schedule, locked while deciding.

    Several scheduler processes (one per machine) can run at once; the row lock means each
    due run is enqueued once.
    """

    name = models.CharField(max_length=80, unique=True)
    last_enqueued_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name


class JobOutput(models.Model):
    """The file a job made (a PDF report), kept privately in the database with its job.

    Written by the handler as its last step, so a job that fails leaves no file; deleted
    with the job (``jobs_purge`` or the owner's account), so files expire with their jobs.
    Served only through ``jobs:job_download``, which checks the owner and asks the job's
    handler whether the owner may still see what the file shows.
    """

    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="output")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[JobOutput]]

    def __str__(self) -> str:
        return self.filename
