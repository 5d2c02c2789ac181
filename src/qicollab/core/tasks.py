"""Enqueueing background tasks at the right moment relative to the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import transaction


def enqueue_with_transaction(enqueue: Callable[[], object]) -> None:
    """Enqueue so that a task never runs for work that was rolled back.

    The database queue (the default) writes the task row in the caller's own transaction:
    the worker sees it only once the work it belongs to is committed, and never if that
    is rolled back (a transactional outbox). A queue outside the database (Redis) is
    written when the transaction commits. The in-process backend used by tests runs the
    task at once, as the code did before it had a queue.
    """
    if settings.TASKS_BACKEND == "rq":
        transaction.on_commit(enqueue)
    else:
        enqueue()
