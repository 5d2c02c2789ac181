"""Progress reports from a running job, written so that a page polling the job sees them."""

from __future__ import annotations

import time

from django.db import connection
from django.utils import timezone

from qicollab.jobs.models import Job

# A progress bar that moves twice a second is smooth enough; writing more often would
# turn a 200,000-row import into 200,000 UPDATEs.
MIN_INTERVAL = 0.5


class Progress:
    """``progress(done, total, stage=…)`` from inside a job handler.

    Reports are throttled, and each doubles as the job's heartbeat (a job whose heartbeat
    stops is taken to have lost its worker). Report progress outside any write transaction:
    inside one, other connections cannot see it until the transaction commits.
    """

    def __init__(self, job: Job) -> None:
        self.job = job
        self._last = 0.0

    def __call__(self, done: int, total: int | None = None, *, stage: str = "") -> None:
        now = time.monotonic()
        finished = total is not None and done >= total
        if not finished and now - self._last < MIN_INTERVAL and not stage:
            return
        self._last = now
        fields: dict[str, object] = {"done": done, "heartbeat_at": timezone.now()}
        if total is not None:
            fields["total"] = total
        if stage:
            fields["stage"] = stage[:200]
        Job.objects.filter(pk=self.job.pk).update(**fields)
        for name, value in fields.items():
            setattr(self.job, name, value)

    @property
    def in_transaction(self) -> bool:
        """True when reports would be invisible to other connections until commit."""
        return connection.in_atomic_block
