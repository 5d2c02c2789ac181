"""Prometheus metrics: request latency by route, requests in progress, the job queue.

Request metrics are counted in each process by :class:`MetricsMiddleware`. Under gunicorn
(several worker processes) set ``PROMETHEUS_MULTIPROC_DIR`` to an empty directory before
gunicorn starts: every worker then writes its metrics there and ``/metrics`` adds them up
(prometheus-client's multiprocess mode; docs/operations.md). The job figures are read from
the database at scrape time, so they are right whichever process answers and need no
bookkeeping in the worker.

Labels are bounded: a request is labelled by its URL pattern's name (``projects:detail``),
never its path (which holds ids), by method (unknown methods are ``other``) and by status
class (``2xx``…``5xx``).

``/metrics`` is never public: it answers a client address in ``METRICS_ALLOWED_IPS``
(loopback by default) that reached the app directly, or a request with
``Authorization: Bearer <METRICS_TOKEN>``; anything else gets 403.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count, Min
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger(__name__)

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNRESOLVED = "unresolved"  # no URL pattern matched (a 404, a redirect before routing)
# Request latency buckets in seconds: most pages well under a second, exports up to 30 s.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
# A job that failed within this window counts in qicollab_job_failures_recent.
FAILURE_WINDOW = timedelta(hours=1)

REQUEST_LATENCY = Histogram(
    "qicollab_http_request_duration_seconds",
    "Time to answer a request, by URL pattern name, method and status class.",
    ["route", "method", "status"],
    buckets=LATENCY_BUCKETS,
)
REQUESTS_IN_PROGRESS = Gauge(
    "qicollab_http_requests_in_progress",
    "Requests being answered now.",
    multiprocess_mode="livesum",
)


def route_of(request: HttpRequest) -> str:
    """The request's URL pattern name (``app:name``), or ``unresolved``; never its path."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return UNRESOLVED
    return match.view_name or match.route or UNRESOLVED


class MetricsMiddleware:
    """Times each request into ``qicollab_http_request_duration_seconds``.

    Near the top of ``MIDDLEWARE`` so the time includes the other middleware; the route is
    read after the response, when URL resolution has happened.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        REQUESTS_IN_PROGRESS.inc()
        try:
            response = self.get_response(request)
        finally:
            REQUESTS_IN_PROGRESS.dec()
        method = request.method if request.method in METHODS else "other"
        REQUEST_LATENCY.labels(
            route=route_of(request),
            method=method,
            status=f"{response.status_code // 100}xx",
        ).observe(time.perf_counter() - started)
        return response


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


def metrics_registry() -> CollectorRegistry:
    """A registry with every worker's request metrics (or this process's) and the job figures."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        # This process's own metrics; the default registry has no describe(), so registering
        # it checks no names and clashes with nothing.
        registry.register(REGISTRY)
    registry.register(JobQueueCollector())
    return registry


def _client_allowed(request: HttpRequest) -> bool:
    # A request that came through a proxy has the proxy's address as REMOTE_ADDR (often
    # loopback), so an address check would let the whole internet in: only direct requests
    # may be let in by address.
    if request.META.get("HTTP_X_FORWARDED_FOR") or request.META.get("HTTP_FORWARDED"):
        return False
    try:
        client = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    for allowed in settings.METRICS_ALLOWED_IPS:
        try:
            if client in ipaddress.ip_network(allowed, strict=False):
                return True
        except ValueError:
            logger.warning("METRICS_ALLOWED_IPS entry %r is not an address or network", allowed)
    return False


def _token_ok(request: HttpRequest) -> bool:
    token: str = settings.METRICS_TOKEN
    if not token:
        return False
    scheme, _, given = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), token)


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus exposition: for allowed addresses or the bearer token only (else 403)."""
    if not (_token_ok(request) or _client_allowed(request)):
        return HttpResponse(
            "Metrics are available only from an allowed address or with the metrics token.\n",
            status=403,
            content_type="text/plain; charset=utf-8",
        )
    return HttpResponse(generate_latest(metrics_registry()), content_type=CONTENT_TYPE_LATEST)
