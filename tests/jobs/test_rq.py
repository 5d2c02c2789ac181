"""The Redis queue (RQ) at scale: the same jobs, enqueued on commit, run by an RQ worker."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from qicollab.jobs.models import JobStatus
from qicollab.jobs.services import job_start
from tests.jobs.test_jobs import calls

REDIS = "redis://127.0.0.1:6379/15"


def _redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS, socket_timeout=1).ping())
    except redis.RedisError:
        return False


pytestmark = [
    pytest.mark.skipif(not _redis_up(), reason="needs Redis at 127.0.0.1:6379"),
    pytest.mark.xdist_group("redis-queue"),
]
RQ = {
    "TASKS": {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}},
    "RQ_QUEUES": {"default": {"URL": REDIS}},
    "TASKS_BACKEND": "rq",
}


@override_settings(**RQ)
def test_a_job_goes_through_redis_to_an_rq_worker(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import django_rq
    from django_tasks_rq import Job as RQJob
    from rq import SimpleWorker

    queue = django_rq.get_queue("default", job_class=RQJob)
    queue.empty()
    calls.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job, _ = job_start(
            actor=world.people["staff_a"], kind="test.count", title="t", params={"n": 2}
        )
    assert queue.count == 0  # nothing reaches Redis before the transaction commits
    for cb in callbacks:
        cb()
    assert queue.count == 1
    worker = SimpleWorker([queue], connection=queue.connection, job_class=RQJob)
    worker.work(burst=True)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and calls == [str(job.pk)]
