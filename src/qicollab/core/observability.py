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
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
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
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNRESOLVED = "unresolved"  # no URL pattern matched (a 404, a redirect before routing)
# Request latency buckets in seconds: most pages well under a second, exports up to 30 s.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

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


# Collectors that apps add (``jobs`` adds the job-queue figures in its ``ready()``), so
# this ground-floor module needs to know no domain model.
SCRAPE_COLLECTORS: list[Callable[[], Collector]] = []


def metrics_registry() -> CollectorRegistry:
    """A registry with every worker's request metrics (or this process's) and the job figures."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        # This process's own metrics; the default registry has no describe(), so registering
        # it checks no names and clashes with nothing.
        registry.register(REGISTRY)
    for make in SCRAPE_COLLECTORS:
        registry.register(make())
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
