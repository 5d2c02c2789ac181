"""Benchmark of the measures API's bulk push; run from the repository root:

    PYTHONPATH=src python bench/bench_measures_push.py [--points 200000] [--measures 100]

Builds a throwaway SQLite database (migrations included, not timed), a project with
``--measures`` daily measures, then pushes ``--points`` points spread over them in ONE
request to ``POST /api/measures/points/bulk`` through Django's test client with an API
token: JSON parsing, validation of every point (dates on the grid, duplicates, numbers,
numerators against denominators), the comparison with stored data, and the writes with
their audit history (bulk inserts in batches of 2,000 inside one transaction). It then
times the same push again (every point unchanged: nothing written), a push that changes
every point, and the same push with one bad point (422, nothing written).
Figures are recorded in docs/performance.md. Timing is never asserted in tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qicollab.config.settings_test")
_tmp = tempfile.mkdtemp(prefix="qicollab-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{_tmp}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:  # pragma: no cover - not Linux
        pass
    return platform.processor() or "unknown CPU"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", type=int, default=200_000)
    parser.add_argument("--measures", type=int, default=100)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    from qicollab.accounts.models import ApiToken, Person, hash_token
    from qicollab.measures import services as ms
    from qicollab.measures.models import DataPoint
    from qicollab.organisations.models import (
        Affiliation,
        Collaborative,
        CollaborativeMembership,
        Organisation,
    )
    from qicollab.projects import services as ps

    person = Person.objects.create_user(
        email="feed@example.nhs.uk", password="x" * 12, full_name="Data feed"
    )
    org = Organisation.objects.create(
        name="Bench NHS Trust", slug="bench", ods_code="RZZ", org_type="nhs_trust"
    )
    collab = Collaborative.objects.create(name="Bench collaborative", slug="bench", kind="topic")
    CollaborativeMembership.objects.create(
        collaborative=collab, organisation=org, joined_on=dt.date(2020, 1, 1)
    )
    Affiliation.objects.create(person=person, organisation=org, role="staff")
    project = ps.project_create(
        actor=person, collaborative=collab, lead_organisation=org, title="Bench project"
    )
    measures = [
        ms.measure_create(
            actor=person,
            project=project,
            data={
                "name": f"Daily measure {i}",
                "value_type": "percentage",
                "denominator_definition": "patients",
                "frequency": "daily",
            },
        )
        for i in range(args.measures)
    ]
    raw = ApiToken.PREFIX + "bench-token-0123456789"
    ApiToken.objects.create(
        person=person, name="bench", key_prefix=raw[:12], key_hash=hash_token(raw)
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    per = args.points // args.measures
    start = dt.date(2015, 1, 1)

    def body(numerator: int, bad: bool = False) -> bytes:
        points = [
            {
                "measure": m.pk,
                "period": (start + dt.timedelta(days=d)).isoformat(),
                "numerator": (numerator + d) % 20,
                "denominator": 20,
            }
            for m in measures
            for d in range(per)
        ]
        if bad:
            points[len(points) // 2]["numerator"] = 25
        return json.dumps({"points": points}).encode()

    def push(payload: bytes) -> tuple[float, float, int, dict[str, object]]:
        t, c = time.perf_counter(), time.process_time()
        r = client.post("/api/measures/points/bulk", data=payload, content_type="application/json")
        return time.perf_counter() - t, time.process_time() - c, r.status_code, r.json()

    # Warm up: the first API call in a process builds ninja's schemas (a few seconds).
    client.get("/api/measures")
    first = body(0)
    print(
        f"Bulk push: {per * args.measures:,} points over {args.measures} daily measures "
        f"({len(first) / 2**20:.1f} MB of JSON)"
    )
    print("(CPU time is this process's; SQLite runs in-process, so it includes the database.)")
    print(
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"{connection.vendor} {connection.Database.sqlite_version}, {_cpu()}, "
        f"{os.cpu_count()} CPUs"
    )
    for label, payload in (
        ("new points (insert + history)", first),
        ("same points again (nothing to write)", first),
        ("every point changed (update + history)", body(1)),
        ("one bad point (422, nothing written)", body(2, bad=True)),
    ):
        seconds, cpu, status, answer = push(payload)
        summary = {
            k: answer[k] for k in ("created", "updated", "unchanged", "error_count") if k in answer
        }
        print(f"  {label:42s} {seconds:7.2f} s wall {cpu:7.2f} s CPU  HTTP {status}  {summary}")
    print(
        f"  data points stored: {DataPoint.objects.count():,}; "
        f"history rows: {DataPoint.history.count():,}"
    )


if __name__ == "__main__":
    sys.exit(main())
