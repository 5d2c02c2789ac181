"""Metrics (/metrics, protected; latency by route; job queue) and JSON logs with request ids."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import path
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from qicollab.core.logging import HEADER, RequestIdMiddleware
from qicollab.jobs.models import Job, JobStatus
from qicollab.jobs.services import job_start

TOKEN = "s3cret-metrics-token"
DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def samples(body: bytes) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of an exposition, keyed by name and labels."""
    found: dict[tuple[str, frozenset[tuple[str, str]]], float] = {}
    for family in text_string_to_metric_families(body.decode()):
        for s in family.samples:
            found[(s.name, frozenset(s.labels.items()))] = s.value
    return found


def scrape(client: Any) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    r = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert r.status_code == 200, r.content
    return samples(r.content)


def latency_count(found: dict[Any, float], route: str) -> float:
    key = (
        "qicollab_http_request_duration_seconds_count",
        frozenset({("route", route), ("method", "GET"), ("status", "2xx")}),
    )
    return found.get(key, 0.0)


# --- /metrics is never public ---------------------------------------------------------


@override_settings(METRICS_TOKEN=TOKEN, METRICS_ALLOWED_IPS=["127.0.0.1", "::1"])
def test_metrics_are_refused_to_other_addresses_without_the_token(db: Any, client: Any) -> None:
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 403
    wrong = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer nope")
    assert wrong.status_code == 403
    # Through a proxy on loopback the address is the proxy's, not the client's: refused.
    proxied = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert proxied.status_code == 403
    ok = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert ok.status_code == 200 and ok["Content-Type"].startswith("text/plain")
    assert b"qicollab_http_request_duration_seconds" in ok.content


@override_settings(METRICS_TOKEN="", METRICS_ALLOWED_IPS=["10.0.0.0/8"])
def test_metrics_from_an_allowed_network_and_no_token_means_no_token_access(
    db: Any, client: Any
) -> None:
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403
    # An empty token never matches an empty bearer.
    assert (
        client.get("/metrics", REMOTE_ADDR="192.0.2.1", HTTP_AUTHORIZATION="Bearer ").status_code
        == 403
    )


# --- request latency by route --------------------------------------------------------


@override_settings(METRICS_TOKEN=TOKEN)
def test_a_request_is_counted_under_its_route_name_not_its_path(world: Any, client: Any) -> None:
    before = scrape(client)
    assert client.get("/healthz").status_code == 200
    path = f"/collaboratives/{world.collab.slug}/dashboard/"
    status = client.get(path).status_code
    after = scrape(client)
    assert latency_count(after, "core:healthz") == latency_count(before, "core:healthz") + 1
    key = (
        "qicollab_http_request_duration_seconds_count",
        frozenset(
            {
                ("route", "insights:dashboard"),
                ("method", "GET"),
                ("status", f"{status // 100}xx"),
            }
        ),
    )
    assert after[key] == before.get(key, 0.0) + 1
    # No label anywhere holds the raw path (its slugs and ids would make series unbounded).
    assert not any(world.collab.slug in value for _, labels in after for _, value in labels)


@override_settings(METRICS_TOKEN=TOKEN)
def test_an_unknown_path_is_counted_as_unresolved(db: Any, client: Any) -> None:
    before = scrape(client)
    assert client.get("/no-such-page/12345/").status_code == 404
    after = scrape(client)
    key = (
        "qicollab_http_request_duration_seconds_count",
        frozenset({("route", "unresolved"), ("method", "GET"), ("status", "4xx")}),
    )
    assert after[key] == before.get(key, 0.0) + 1


# --- job queue -------------------------------------------------------------------------


@override_settings(METRICS_TOKEN=TOKEN, TASKS=DB_QUEUE)
def test_queue_gauges_reflect_queued_jobs(world: Any, client: Any) -> None:
    from tests.jobs.test_jobs import count  # noqa: F401  (registers the test.count kind)

    person = world.people["staff_a"]
    job_start(actor=person, kind="test.count", title="one")
    old, _ = job_start(actor=person, kind="test.count", title="two")
    Job.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(minutes=10))
    failed = Job.objects.create(
        kind="test.crash", title="x", status=JobStatus.FAILED, finished_at=timezone.now()
    )
    Job.objects.create(
        kind="test.crash",
        title="long ago",
        status=JobStatus.FAILED,
        finished_at=timezone.now() - timedelta(days=1),
    )
    found = scrape(client)
    assert found[("qicollab_jobs", frozenset({("status", "queued"), ("kind", "test.count")}))] == 2
    assert 590 < found[("qicollab_job_oldest_queued_age_seconds", frozenset())] < 900
    assert found[("qicollab_job_failures_recent", frozenset({("kind", failed.kind)}))] == 1
    assert found[("qicollab_task_queue_length", frozenset({("queue", "default")}))] == 2
    assert found[("qicollab_job_metrics_up", frozenset())] == 1


@override_settings(METRICS_TOKEN=TOKEN)
def test_an_empty_queue_reads_zero(db: Any, client: Any) -> None:
    found = scrape(client)
    assert found[("qicollab_job_oldest_queued_age_seconds", frozenset())] == 0
    assert not [k for k in found if k[0] == "qicollab_jobs"]


# --- JSON logs and request ids -----------------------------------------------------------


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """What the app's console handler writes (the real handler, formatter and filters)."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    assert isinstance(handler, logging.StreamHandler)
    out = io.StringIO()
    old = handler.setStream(out)
    try:
        yield out
    finally:
        handler.setStream(old)


def parsed(out: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


def test_log_lines_are_json_with_the_request_id_of_the_header(
    db: Any, client: Any, log_lines: io.StringIO
) -> None:
    r = client.get("/no-such-page/", HTTP_X_REQUEST_ID="proxy-id-123")
    assert r[HEADER] == "proxy-id-123"
    lines = parsed(log_lines)
    assert lines and all(line["request_id"] == "proxy-id-123" for line in lines)
    assert lines[0]["level"] == "WARNING" and lines[0]["status_code"] == 404


def test_a_malformed_request_id_is_replaced(db: Any, client: Any) -> None:
    r = client.get("/healthz", HTTP_X_REQUEST_ID='bad id"\n{forged}')
    assert r[HEADER] != 'bad id"\n{forged}' and len(r[HEADER]) == 32
    other = client.get("/healthz")
    assert other[HEADER] != r[HEADER]


def test_a_404_logs_one_line_without_a_traceback(db: Any, client: Any, log_lines: Any) -> None:
    client.get("/no-such-page/")
    lines = parsed(log_lines)
    assert len(lines) == 1 and "exception" not in lines[0]
    assert lines[0]["message"] == "Not Found: /no-such-page/"


def _forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("not yours")


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("broken")


urlpatterns = [path("forbidden/", _forbidden), path("boom/", _boom)]


@override_settings(ROOT_URLCONF=__name__)
def test_a_403_logs_one_line_but_a_500_keeps_its_traceback(
    db: Any, client: Any, log_lines: io.StringIO
) -> None:
    assert client.get("/forbidden/").status_code == 403
    lines = parsed(log_lines)
    assert len(lines) == 1 and "exception" not in lines[0] and lines[0]["status_code"] == 403
    client.raise_request_exception = False
    log_lines.truncate(0), log_lines.seek(0)
    assert client.get("/boom/").status_code == 500
    errors = parsed(log_lines)
    assert errors[-1]["level"] == "ERROR" and "RuntimeError: broken" in errors[-1]["exception"]


def test_a_job_started_in_a_request_carries_its_id_into_the_run(
    world: Any, log_lines: io.StringIO
) -> None:
    from tests.jobs.test_jobs import count  # noqa: F401  (registers the test.count kind)

    seen: dict[str, Any] = {}

    def view(request: HttpRequest) -> HttpResponse:
        # Immediate backend: the job runs inside the request, as a worker would later.
        job, _ = job_start(actor=world.people["staff_a"], kind="test.count", title="t")
        seen["job"] = job
        logging.getLogger("qicollab.test").info("started %s", job.pk)
        return HttpResponse("ok")

    request = RequestFactory().get("/", HTTP_X_REQUEST_ID="req-42")
    response = RequestIdMiddleware(view)(request)
    job = seen["job"]
    job.refresh_from_db()
    assert response[HEADER] == "req-42" and job.request_id == "req-42"
    assert job.status == JobStatus.SUCCEEDED
    lines = parsed(log_lines)  # the task backend's lines as well as the view's
    assert any(line["message"] == f"started {job.pk}" for line in lines)
    assert {line["request_id"] for line in lines} == {"req-42"}


def test_a_job_run_by_the_worker_logs_with_the_request_id(world: Any, log_lines: Any) -> None:
    from qicollab.jobs.services import job_run
    from tests.jobs.test_jobs import crash  # noqa: F401  (registers the test.crash kind)

    job = Job.objects.create(kind="test.crash", title="t", request_id="from-the-page")
    job_run(str(job.pk))  # no request here: the worker's context
    lines = parsed(log_lines)
    assert lines and lines[-1]["request_id"] == "from-the-page"
    assert "RuntimeError: boom" in lines[-1]["exception"]


def test_the_gunicorn_hooks_reset_the_metrics_directory(tmp_path: Any, monkeypatch: Any) -> None:
    from types import SimpleNamespace

    from qicollab.config import gunicorn

    (tmp_path / "histogram_1.db").write_bytes(b"old")
    (tmp_path / "gauge_livesum_77.db").write_bytes(b"old")
    (tmp_path / "keep.txt").write_text("not ours")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    gunicorn.on_starting(None)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]
    (tmp_path / "gauge_livesum_77.db").write_bytes(b"live")
    (tmp_path / "histogram_77.db").write_bytes(b"counts")
    gunicorn.child_exit(None, SimpleNamespace(pid=77))
    # The dead worker's in-progress gauge goes; its counts stay in the totals.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["histogram_77.db", "keep.txt"]


@override_settings(METRICS_TOKEN=TOKEN)
def test_a_database_outage_still_serves_the_request_metrics(db: Any, client: Any) -> None:
    from unittest import mock

    from django.db.utils import OperationalError

    with mock.patch.object(Job.objects, "filter", side_effect=OperationalError("down")):
        found = scrape(client)
    assert found[("qicollab_job_metrics_up", frozenset())] == 0
    assert any(name == "qicollab_http_request_duration_seconds_count" for name, _ in found)
