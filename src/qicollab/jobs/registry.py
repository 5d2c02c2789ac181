"""Which function runs each kind of job, and which work runs on a schedule.

Domain apps register in their own ``jobs.py`` (discovered when the jobs app starts):

    @job_handler("measures.import", title="Import data", retry_safe=False)
    def run_import(job: Job, progress: Progress) -> dict[str, object]: ...

    schedule("events.reminders", every=timedelta(hours=1), kind="events.reminders")
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qicollab.accounts.models import Person
    from qicollab.jobs.models import Job
    from qicollab.jobs.progress import Progress

JSON = dict[str, Any] | None
Handler = Callable[["Job", "Progress"], JSON]
#: May this person (the job's owner) still download what the job made?
OutputCheck = Callable[["Job", "Person"], bool]


@dataclass(frozen=True)
class HandlerSpec:
    kind: str
    func: Handler
    retry_safe: bool
    max_attempts: int
    may_download: OutputCheck | None = None


@dataclass(frozen=True)
class Schedule:
    name: str
    every: timedelta
    kind: str
    title: str


_handlers: dict[str, HandlerSpec] = {}
_schedules: dict[str, Schedule] = {}


def job_handler(
    kind: str,
    *,
    retry_safe: bool = False,
    max_attempts: int = 3,
    may_download: OutputCheck | None = None,
) -> Callable[[Handler], Handler]:
    """Register ``func`` as the code that runs jobs of ``kind``.

    ``retry_safe`` says that running the handler again after a crash cannot repeat work
    (it writes in one transaction, or is idempotent); only then is a failed or interrupted
    job retried, up to ``max_attempts`` runs.
    """

    def register(func: Handler) -> Handler:
        if kind in _handlers and _handlers[kind].func is not func:
            raise ValueError(f"Two handlers for job kind {kind!r}")
        _handlers[kind] = HandlerSpec(kind, func, retry_safe, max_attempts, may_download)
        return func

    return register


def handler_for(kind: str) -> HandlerSpec:
    """The registered handler; ``KeyError`` for a kind no app declares."""
    return _handlers[kind]


def schedule(name: str, *, every: timedelta, kind: str, title: str = "") -> None:
    """Start a job of ``kind`` every ``every`` (the scheduler process does the starting)."""
    _schedules[name] = Schedule(name, every, kind, title or name)


def schedules() -> list[Schedule]:
    """Every registered schedule, by name."""
    return [_schedules[k] for k in sorted(_schedules)]
