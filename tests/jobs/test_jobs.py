"""Jobs: run once, report progress, fail visibly, recover from a lost worker, and queue for real."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from qicollab.jobs import registry
from qicollab.jobs.models import Job, JobStatus, ScheduleRun
from qicollab.jobs.progress import Progress
from qicollab.jobs.registry import job_handler
from qicollab.jobs.scheduler import run_due
from qicollab.jobs.services import (
    INTERRUPTED,
    UNEXPECTED,
    JobRefused,
    job_run,
    job_start,
    jobs_recover_stale,
)
from tests.jobs.helpers import DB_QUEUE, run_worker

calls: list[str] = []


@job_handler("test.count", retry_safe=False)
def count(job: Job, progress: Progress) -> dict[str, object]:
    n = int(job.params.get("n", 3))
    for i in range(n):
        progress(i + 1, n, stage="Counting")
    calls.append(str(job.pk))
    return {"counted": n, "url": "/privacy/", "label": "See the result"}


@job_handler("test.refuse")
def refuse(job: Job, progress: Progress) -> None:
    raise JobRefused("Row 4: the period 2099-01-01 has not started yet.")


@job_handler("test.crash", retry_safe=False)
def crash(job: Job, progress: Progress) -> None:
    calls.append("crash")
    raise RuntimeError("boom")


@job_handler("test.flaky", retry_safe=True, max_attempts=3)
def flaky(job: Job, progress: Progress) -> dict[str, object]:
    calls.append("flaky")
    if len([c for c in calls if c == "flaky"]) < 3:
        raise ConnectionError("database went away")
    return {"ok": True}


@job_handler("test.safe", retry_safe=True)
def safe(job: Job, progress: Progress) -> dict[str, object]:
    calls.append("safe")
    return {"ok": True}


@pytest.fixture(autouse=True)
def _reset() -> None:
    calls.clear()


def start(world: Any, kind: str, **kw: Any) -> Job:
    job, _ = job_start(actor=world.people["staff_a"], kind=kind, title=f"Test {kind}", **kw)
    job.refresh_from_db()
    return job


def test_a_job_runs_and_shows_its_result_to_its_owner_only(world: Any, login: Any) -> None:
    job = start(world, "test.count", params={"n": 4})
    assert job.status == JobStatus.SUCCEEDED and job.result == {
        "counted": 4,
        "url": "/privacy/",
        "label": "See the result",
    }
    assert (job.done, job.total, job.percent) == (4, 4, 100)
    owner = login(world.people["staff_a"])
    page = owner.get(f"/jobs/{job.pk}/")
    assert page.status_code == 200 and b"Finished." in page.content
    assert b'href="/privacy/"' in page.content and b"hx-trigger" not in page.content
    api = owner.get(f"/api/jobs/{job.pk}")
    assert api.status_code == 200 and api.json()["status"] == "succeeded"
    for persona in ("staff_b", "pm_a", "national_admin", "outsider"):
        other = login(world.people[persona])
        assert other.get(f"/jobs/{job.pk}/").status_code == 404, persona
        assert other.get(f"/api/jobs/{job.pk}").status_code == 404, persona
    assert login(None).get(f"/jobs/{job.pk}/").status_code == 302


def test_the_same_idempotency_key_never_runs_the_work_twice(world: Any) -> None:
    first = start(world, "test.count", idempotency_key="push-2026-12-07-1")
    again, created = job_start(
        actor=world.people["staff_a"],
        kind="test.count",
        title="again",
        idempotency_key="push-2026-12-07-1",
    )
    assert not created and again.pk == first.pk and calls == [str(first.pk)]


def test_a_finished_job_delivered_twice_is_not_run_again(world: Any) -> None:
    job = start(world, "test.count")
    job_run(str(job.pk))  # a duplicate delivery of the same task
    assert calls == [str(job.pk)]


def test_a_refusal_is_shown_with_its_reason(world: Any, login: Any) -> None:
    job = start(world, "test.refuse")
    assert job.status == JobStatus.FAILED and "has not started yet" in job.error
    page = login(world.people["staff_a"]).get(f"/jobs/{job.pk}/")
    assert b"This did not finish" in page.content and b"2099-01-01" in page.content


def test_an_unexpected_error_fails_plainly_and_unsafe_work_is_not_retried(world: Any) -> None:
    job = start(world, "test.crash")
    assert job.status == JobStatus.FAILED and job.error == UNEXPECTED
    assert calls == ["crash"] and job.attempts == 1


def test_retry_safe_work_is_retried_until_it_succeeds(world: Any) -> None:
    job = start(world, "test.flaky")
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 3


@override_settings(JOB_STALE_AFTER=60)
def test_a_job_whose_worker_died_is_failed_or_retried(world: Any) -> None:
    old = timezone.now() - timedelta(minutes=5)
    lost = Job.objects.create(
        kind="test.crash",
        title="lost",
        owner=world.people["staff_a"],
        status=JobStatus.RUNNING,
        heartbeat_at=old,
        attempts=1,
    )
    retry = Job.objects.create(
        kind="test.safe",
        title="retry",
        owner=world.people["staff_a"],
        status=JobStatus.RUNNING,
        heartbeat_at=old,
        attempts=1,
    )
    alive = Job.objects.create(
        kind="test.crash",
        title="alive",
        owner=world.people["staff_a"],
        status=JobStatus.RUNNING,
        heartbeat_at=timezone.now(),
        attempts=1,
    )
    assert jobs_recover_stale() == 2
    lost.refresh_from_db(), retry.refresh_from_db(), alive.refresh_from_db()
    assert lost.status == JobStatus.FAILED and lost.error == INTERRUPTED
    assert retry.status == JobStatus.SUCCEEDED  # re-queued and (immediate backend) run
    assert alive.status == JobStatus.RUNNING


@override_settings(TASKS=DB_QUEUE)
def test_on_the_database_queue_a_worker_runs_the_job(world: Any, login: Any) -> None:
    job = start(world, "test.count", params={"n": 2})
    assert job.status == JobStatus.QUEUED and calls == []
    page = login(world.people["staff_a"]).get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
    assert b'hx-trigger="every 1s"' in page.content and b"Waiting to start" in page.content
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and calls == [str(job.pk)]


def test_progress_reports_are_throttled_but_the_last_is_written(world: Any) -> None:
    job = Job.objects.create(kind="test.count", title="t", owner=world.people["staff_a"])
    p = Progress(job)
    for i in range(1, 1001):
        p(i, 1000)
    job.refresh_from_db()
    assert (job.done, job.total) == (1000, 1000)


def test_the_scheduler_starts_each_due_schedule_once(world: Any) -> None:
    names = {s.name for s in registry.schedules()}
    assert {"events.reminders", "events.needs_purge", "jobs.recover_stale"} <= names
    now = timezone.now()
    assert set(run_due(now=now)) == names
    assert run_due(now=now + timedelta(seconds=30)) == []
    assert "jobs.recover_stale" in run_due(now=now + timedelta(minutes=1))
    assert ScheduleRun.objects.count() == len(names)
    assert Job.objects.filter(kind="events.reminders", status=JobStatus.SUCCEEDED).count() == 1


def test_the_scheduler_command_runs_once(world: Any) -> None:
    call_command("run_scheduler", once=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert ScheduleRun.objects.filter(name="events.reminders").exists()
