"""Scheduled work without cron: the scheduler process starts due jobs on the worker queue."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from qicollab.jobs.models import ScheduleRun
from qicollab.jobs.registry import Schedule, schedules
from qicollab.jobs.services import job_start


def due(s: Schedule, last: datetime | None, now: datetime) -> bool:
    """Whether ``s`` should run now, given when it last ran.

    >>> from datetime import timedelta, timezone as tz
    >>> s = Schedule("x", timedelta(hours=1), "k", "X")
    >>> t = datetime(2026, 1, 1, 12, tzinfo=tz.utc)
    >>> due(s, None, t), due(s, t, t + timedelta(minutes=59)), due(s, t, t + timedelta(hours=1))
    (True, False, True)
    """
    return last is None or now - last >= s.every


def run_due(*, now: datetime | None = None) -> list[str]:
    """Start every schedule that is due; returns their names.

    Each schedule's row is locked while deciding, so schedulers on several machines start
    each run once.
    """
    now = now or timezone.now()
    started = []
    for s in schedules():
        with transaction.atomic():
            row = ScheduleRun.objects.select_for_update().filter(name=s.name).first()
            if row is not None and not due(s, row.last_enqueued_at, now):
                continue
            if row is None:
                row = ScheduleRun(name=s.name)
            row.last_enqueued_at = now
            row.save()
            job_start(actor=None, kind=s.kind, title=s.title)
            started.append(s.name)
    return started
