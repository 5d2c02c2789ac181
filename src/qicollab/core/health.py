"""``/healthz`` (the process answers) and ``/readyz`` (it can do its work).

Load balancers send traffic only to ready nodes and restart nodes that are not alive; the
two must differ, or a database outage would have every web node restarted in a loop.
Neither needs a login, sets a cookie or reveals more than which check failed.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache


def _database() -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")


def _migrations() -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise RuntimeError("unapplied migrations")


def _cache() -> None:
    key = "readyz:probe"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return what was stored")


def _queue() -> None:
    if settings.TASKS_BACKEND == "rq":
        import redis

        redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
    elif settings.TASKS_BACKEND == "database":
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.exists()


CHECKS: dict[str, Callable[[], None]] = {
    "database": _database,
    "migrations": _migrations,
    "cache": _cache,
    "queue": _queue,
}


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Alive: the process is serving requests (no dependencies checked)."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready: database, migrations, cache and job queue all answer; 503 naming what failed."""
    results: dict[str, str] = {}
    started = time.monotonic()
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # any failure of a dependency means "not ready"
            results[name] = f"failing: {type(exc).__name__}"
        else:
            results[name] = "ok"
    ok = all(v == "ok" for v in results.values())
    body = {
        "status": "ok" if ok else "unavailable",
        "checks": results,
        "seconds": round(time.monotonic() - started, 3),
    }
    return JsonResponse(body, status=200 if ok else 503)
