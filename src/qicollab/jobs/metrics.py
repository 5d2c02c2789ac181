"""Job queue figures for ``/metrics``, read from the database at scrape time.

Registered with ``core.observability`` by the jobs app's ``ready()`` (docs/operations.md).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger(__name__)

# A job that failed within this window counts in qicollab_job_failures_recent.
FAILURE_WINDOW = timedelta(hours=1)


class JobQueueCollector:
    """Job queue figures read from the database when Prometheus scrapes.

    Every web node reports the same values (they read one database): aggregate them with
    ``max``, not ``sum``. If the database does not answer, ``qicollab_job_metrics_up`` is 0
    and the request metrics are still served.
    """

    def collect(self) -> Iterable[GaugeMetricFamily]:
        up = GaugeMetricFamily(
            "qicollab_job_metrics_up", "1 if the job figures could be read from the database."
        )
        try:
            families = list(self._job_families()) + list(self._task_families())
        except DatabaseError as exc:
            # One line per scrape, not a traceback: /readyz reports the outage too.
            logger.warning("Could not read the job queue for /metrics: %s", exc)
            up.add_metric([], 0)
            return [up]
        up.add_metric([], 1)
        return [up, *families]

    def _job_families(self) -> Iterator[GaugeMetricFamily]:
        from qicollab.jobs.models import Job, JobStatus

        now = timezone.now()
        jobs = GaugeMetricFamily(
            "qicollab_jobs",
            "Jobs waiting or running, by status and kind.",
            labels=["status", "kind"],
        )
        active = (
            Job.objects.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
            .values("status", "kind")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in active:
            jobs.add_metric([row["status"], row["kind"]], row["n"])
        yield jobs

        # Never-started jobs only: a job waiting to be retried was created long ago but is
        # deliberately deferred, and would make the queue look stuck.
        oldest = Job.objects.filter(status=JobStatus.QUEUED, attempts=0).aggregate(
            t=Min("created_at")
        )["t"]
        age = GaugeMetricFamily(
            "qicollab_job_oldest_queued_age_seconds",
            "Age of the oldest job waiting for its first run (0 when none waits).",
        )
        age.add_metric([], max(0.0, (now - oldest).total_seconds()) if oldest else 0.0)
        yield age

        failures = GaugeMetricFamily(
            "qicollab_job_failures_recent",
            f"Jobs that ended failed in the last {int(FAILURE_WINDOW.total_seconds())} "
            "seconds, by kind.",
            labels=["kind"],
        )
        failed = (
            Job.objects.filter(status=JobStatus.FAILED, finished_at__gte=now - FAILURE_WINDOW)
            .values("kind")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for failure in failed:
            failures.add_metric([failure["kind"]], failure["n"])
        yield failures

    def _task_families(self) -> Iterator[GaugeMetricFamily]:
        """The database task queue itself (``TASKS_BACKEND=database``): what the worker sees."""
        if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
            return
        from django_tasks_db.models import DBTaskResult

        now = timezone.now()
        # ready(): not yet run, and not deferred to a later time (a retry's back-off).
        ready = DBTaskResult.objects.ready()
        length = GaugeMetricFamily(
            "qicollab_task_queue_length", "Tasks ready to run, by queue.", labels=["queue"]
        )
        age = GaugeMetricFamily(
            "qicollab_task_queue_oldest_age_seconds",
            "How long the longest-waiting ready task has waited, by queue.",
            labels=["queue"],
        )
        rows = ready.values("queue_name").annotate(n=Count("pk"), oldest=Min("enqueued_at"))
        for row in rows.order_by():
            length.add_metric([row["queue_name"]], row["n"])
            waited = (now - row["oldest"]).total_seconds() if row["oldest"] else 0.0
            age.add_metric([row["queue_name"]], max(0.0, waited))
        yield length
        yield age
