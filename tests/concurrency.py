"""Helpers for the concurrency tests: threads racing for the last places.

On PostgreSQL the threads share the test database as they are (row locks decide). On
SQLite the test database is in memory with a shared cache, where a second writer fails
at once with "database table is locked" instead of waiting: that is the test set-up, not
the product. :func:`threads_share_the_database` copies it to a file for the race, opened
exactly as production opens SQLite (WAL, ``BEGIN IMMEDIATE``, a busy timeout), so writes
serialise as they do for real users and the race shows what they would see.
"""

from __future__ import annotations

import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import connection, connections


@contextmanager
def threads_share_the_database() -> Iterator[None]:
    """Within the block, every thread's connection reaches the same, current data."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    settings_dict = connection.settings_dict
    memory_name = settings_dict["NAME"]
    connection.ensure_connection()
    memory = connection.connection  # kept open: the in-memory database lives while it does
    assert memory is not None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "race.sqlite3"
        target = sqlite3.connect(path)
        memory.backup(target)
        target.close()
        settings_dict["NAME"] = str(path)
        connection.connection = None  # the next query opens the file, as a new thread does
        try:
            yield
        finally:
            connections.close_all()
            settings_dict["NAME"] = memory_name
            connection.connection = memory


def race(n: int, act: Callable[[int], Any], refusal: type[BaseException] | None = None) -> Any:
    """Run ``act(0) … act(n - 1)`` in ``n`` threads released at the same moment.

    Returns ``(refused, errors)``: the indexes whose ``act`` raised ``refusal`` (the clear
    "no" a person sees) and every other exception (there should be none).
    """
    barrier = threading.Barrier(n)
    refused: list[int] = []
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait()
            act(i)
        except BaseException as exc:
            if refusal is not None and isinstance(exc, refusal):
                refused.append(i)
            else:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(refused), errors
