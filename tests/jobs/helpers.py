"""Helpers shared by the jobs tests."""

from __future__ import annotations

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_worker() -> None:
    """The real database worker, in batch mode, inside the test's transaction.

    The worker drops stale connections between tasks (``close_old_connections``); inside a
    test transaction that would close the test's own PostgreSQL connection, so it is
    skipped here, as it is a no-op for the in-memory SQLite database.
    """
    from unittest import mock

    from django.core.management import call_command

    target = "django_tasks_db.management.commands.db_worker.close_old_connections"
    with mock.patch(target):
        call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)
