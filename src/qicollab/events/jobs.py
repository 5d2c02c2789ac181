"""Learning sessions' scheduled work: reminders before a session, needs purged after it."""

from __future__ import annotations

from datetime import timedelta

from qicollab.events.services import needs_purge, reminders_send
from qicollab.jobs.models import Job
from qicollab.jobs.progress import Progress
from qicollab.jobs.registry import job_handler, schedule


@job_handler("events.reminders", retry_safe=True)
def send_reminders(job: Job, progress: Progress) -> dict[str, object]:
    """Each booking is reminded once, so running again after a crash repeats nothing."""
    return {"sent": reminders_send(days_ahead=3)}


@job_handler("events.needs_purge", retry_safe=True)
def purge_needs(job: Job, progress: Progress) -> dict[str, object]:
    return {"deleted": needs_purge()}


schedule(
    "events.reminders",
    every=timedelta(hours=1),
    kind="events.reminders",
    title="Remind people booked on sessions in the next 3 days",
)
schedule(
    "events.needs_purge",
    every=timedelta(hours=6),
    kind="events.needs_purge",
    title="Delete accessibility and dietary answers of sessions that have ended",
)
