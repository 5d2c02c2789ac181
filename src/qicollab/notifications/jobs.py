"""Notification digests: sent by scheduled jobs, never in a request."""

from __future__ import annotations

from datetime import timedelta

from qicollab.jobs.models import Job
from qicollab.jobs.progress import Progress
from qicollab.jobs.registry import job_handler, schedule
from qicollab.notifications.kinds import Frequency
from qicollab.notifications.services import digest_send


@job_handler("notifications.daily_digest", retry_safe=True)
def daily_digest(job: Job, progress: Progress) -> dict[str, object]:
    """Each notification is marked sent with its email, so a retry repeats nothing."""
    return {"sent": digest_send(frequency=Frequency.DAILY)}


@job_handler("notifications.weekly_digest", retry_safe=True)
def weekly_digest(job: Job, progress: Progress) -> dict[str, object]:
    return {"sent": digest_send(frequency=Frequency.WEEKLY)}


schedule(
    "notifications.daily_digest",
    every=timedelta(days=1),
    kind="notifications.daily_digest",
    title="Email each person's daily digest of notifications",
)
schedule(
    "notifications.weekly_digest",
    every=timedelta(days=7),
    kind="notifications.weekly_digest",
    title="Email each person's weekly digest of notifications",
)
