"""Health endpoints: alive always, ready only when every dependency answers."""

from __future__ import annotations

from typing import Any
from unittest import mock

from django.db.utils import OperationalError


def test_alive_and_ready_without_login(db: Any, client: Any) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    r = client.get("/readyz")
    assert r.status_code == 200, r.content
    assert r.json()["checks"] == {
        "database": "ok",
        "migrations": "ok",
        "cache": "ok",
        "queue": "ok",
    }
    assert "sessionid" not in r.cookies and r["Cache-Control"].startswith("max-age=0")


def test_not_ready_names_the_failing_dependency(db: Any, client: Any) -> None:
    with mock.patch("django.core.cache.cache.get", return_value=None):
        r = client.get("/readyz")
    assert r.status_code == 503 and r.json()["checks"]["cache"].startswith("failing")
    assert r.json()["checks"]["database"] == "ok"


def test_unapplied_migrations_mean_not_ready(db: Any, client: Any) -> None:
    with mock.patch(
        "django.db.migrations.executor.MigrationExecutor.migration_plan", return_value=[("x", 0)]
    ):
        r = client.get("/readyz")
    assert r.status_code == 503 and r.json()["checks"]["migrations"] == "failing: RuntimeError"


def test_a_database_outage_is_not_ready_but_still_alive(db: Any, client: Any) -> None:
    from qicollab.core import health

    down = mock.Mock(side_effect=OperationalError("down"))
    with mock.patch.dict(health.CHECKS, {"database": down}):
        r = client.get("/readyz")
        alive = client.get("/healthz")
    assert r.status_code == 503 and r.json()["checks"]["database"] == "failing: OperationalError"
    assert alive.status_code == 200
