"""Benchmark of the cross-site view of a library measure; run from the repository root:

    PYTHONPATH=src python bench/bench_cross_site.py [--sites 450] [--runs 20]

Uses ``DATABASE_URL`` when set, else the SQLite file ``var/bench_cross_site.sqlite3``. If
that database has no bench library measure used by ``--sites`` organisations, it migrates
and builds one (not timed): a collaborative of ``--sites`` member trusts, one project each
(half shared with the collaborative, half private, so the viewer sees both named and
unnamed sites), each with a measure created from one library definition (a percentage, P
chart) and 24 months of data. Then, logged in through Django's test client as a staff
member of the first trust, it renders the cross-site view (funnel plot of all sites, the
first page of small multiples) and the trivial page (``/privacy/``), ``--runs`` times each
after two warm-up requests, alternating the two, and prints the median wall time of each,
the ratio cross-site / trivial, and each page's SQL queries. Target (issue 14): under
300 ms median at 450 organisations. Timing is never asserted in tests.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qicollab.config.settings_test")
if not os.environ.get("DATABASE_URL"):
    (ROOT / "var").mkdir(exist_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench_cross_site.sqlite3'}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from qicollab.accounts.models import Person  # noqa: E402
from qicollab.measures.models import DataPoint, LibraryMeasure, Measure  # noqa: E402
from qicollab.organisations.models import (  # noqa: E402
    Affiliation,
    Collaborative,
    CollaborativeMembership,
    Organisation,
)
from qicollab.projects.models import Project  # noqa: E402

NAME = "Bench: percentage of admissions with a physical-health check in 24 hours"
VIEWER = "bench.viewer@bench-cross-site.example"
MONTHS = 24


def _months(n: int) -> list[date]:
    out, y, m = [], 2024, 1
    for _ in range(n):
        out.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _ensure_data(sites: int) -> LibraryMeasure:
    call_command("migrate", "--no-input", "-v0")
    lm = LibraryMeasure.objects.filter(name=NAME).first()
    if lm is not None and lm.measures.count() >= sites:
        return lm
    print(f"Building the bench data: {sites} sites (not timed)…", flush=True)
    from tests import factories as f  # the tests' factories fill every required field

    rng = random.Random(14)
    with transaction.atomic():
        collab = f.CollaborativeFactory(name=f"Bench cross-site collaborative {sites}")
        orgs = Organisation.objects.bulk_create(
            Organisation(
                name=f"Bench {collab.pk} Partnership NHS Trust {i}",
                slug=f"bench-{collab.pk}-trust-{i}",
                org_type="nhs_trust",
                ods_code=f"Z{collab.pk % 10}{i:03d}",
                region="sw",
            )
            for i in range(sites)
        )
        CollaborativeMembership.objects.bulk_create(
            CollaborativeMembership(collaborative=collab, organisation=o) for o in orgs
        )
        viewer, _ = Person.objects.get_or_create(email=VIEWER, defaults={"full_name": "Viewer"})
        Affiliation.objects.create(person=viewer, organisation=orgs[0], role="staff")
        lm = LibraryMeasure.objects.create(
            collaborative=collab,
            name=NAME,
            measure_type="process",
            value_type="percentage",
            numerator_definition="Admissions with a check in 24 hours",
            denominator_definition="Admissions",
            chart_type="p",
            direction="increase",
            target=90,
        )
        lm.versions.create(number=1, definition=lm.definition(), change_note="Bench")
        projects = Project.objects.bulk_create(
            Project(
                title=f"Bench site {i}",
                slug=f"bench-{collab.pk}-{i}",
                collaborative=collab,
                lead_organisation=o,
                sharing="collaborative" if i % 2 == 0 else "private",
                status="active",
            )
            for i, o in enumerate(orgs)
        )
        measures = Measure.objects.bulk_create(
            Measure(
                project=p,
                name=NAME,
                measure_type="process",
                value_type="percentage",
                numerator_definition="Admissions with a check in 24 hours",
                denominator_definition="Admissions",
                chart_type="p",
                direction="increase",
                target=90,
                library_measure=lm,
                library_version=1,
            )
            for p in projects
        )
        periods = _months(MONTHS)
        points = []
        for m in measures:
            size, rate = rng.randint(30, 300), rng.uniform(0.6, 0.9)
            for period in periods:
                n = max(5, int(rng.gauss(size, size * 0.1)))
                k = min(n, max(0, int(rng.gauss(rate * n, (n * rate * (1 - rate)) ** 0.5))))
                points.append(DataPoint(measure=m, period=period, numerator=k, denominator=n))
        DataPoint.objects.bulk_create(points, batch_size=2000)
    return lm


def _time(client: Client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sites", type=int, default=450)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    lm = _ensure_data(args.sites)
    client = Client()
    client.force_login(
        Person.objects.get(email=VIEWER), backend="django.contrib.auth.backends.ModelBackend"
    )
    collab = Collaborative.objects.get(pk=lm.collaborative_id)
    pages = {
        "trivial": "/privacy/",
        "cross-site": f"/collaboratives/{collab.slug}/measure-library/{lm.pk}/sites/",
    }
    queries = {}
    for name, url in pages.items():
        for _ in range(2):
            _time(client, url)  # warm-up: caches, the chart renderer's start
        with CaptureQueriesContext(connection) as ctx:
            _time(client, url)
        queries[name] = len(ctx.captured_queries)
    times: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(args.runs):
        for name, url in pages.items():
            times[name].append(_time(client, url))
    sites = Organisation.objects.filter(led_projects__measures__library_measure=lm).count()
    print(f"Cross-site view of one library measure used by {sites} organisations")
    print(f"  database: {connection.vendor}; runs: {args.runs}")
    for name in pages:
        print(
            f"  {name:<10} median {statistics.median(times[name]):7.1f} ms   "
            f"min {min(times[name]):7.1f} ms   queries {queries[name]}"
        )
    ratio = statistics.median(times["cross-site"]) / statistics.median(times["trivial"])
    median = statistics.median(times["cross-site"])
    verdict = "meets" if median < 300 else "misses"
    print(f"  cross-site / trivial: {ratio:.1f}x; {verdict} the 300 ms target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
