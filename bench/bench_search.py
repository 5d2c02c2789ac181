"""Benchmark of a search's first page at national scale; run from the repository root:

    PYTHONPATH=src python bench/bench_search.py [--runs 30] [--scale 1.0] [--query falls]

Uses ``DATABASE_URL`` when set (PostgreSQL, say), else the SQLite file
``var/bench_national.sqlite3`` shared with bench_dashboards.py. If the synthetic national set
(``seed_national``: about 2,000 projects and their PDSA cycles at scale 1.0) is not loaded
there, it migrates and loads it first (not timed; minutes), and it builds the search index if
it is behind (not timed). Then, logged in as the lead of the first synthetic collaborative
through Django's test client, it requests the search page for ``--query`` (first page,
snippets and filters) and the trivial privacy page ``--runs`` times each, alternately, after
two warm-ups, and prints the median, 95th percentile and queries of each and the ratio of
the medians. Target (issue 17): under 200 ms median for the search page. Timing is never
asserted in tests.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qicollab.config.settings_test")
if not os.environ.get("DATABASE_URL"):
    (ROOT / "var").mkdir(exist_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench_national.sqlite3'}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

TARGET_MS = 200.0


def _ensure_data(scale: float) -> None:
    from qicollab.demo import synthetic
    from qicollab.projects.models import Project
    from qicollab.search.models import Kind, SearchDocument

    call_command("migrate", verbosity=0)
    if not synthetic.loaded():
        print(f"Loading the national data set at scale {scale:g} (not timed)…", flush=True)
        started = time.perf_counter()
        call_command("seed_national", "--scale", str(scale))
        print(f"  loaded in {time.perf_counter() - started:.0f} s", flush=True)
    if SearchDocument.objects.filter(kind=Kind.PROJECT).count() < Project.objects.count():
        print("Building the search index (not timed)…", flush=True)
        started = time.perf_counter()
        call_command("rebuild_search_index")
        print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _time(client: Client, url: str) -> float:
    start = time.perf_counter()
    resp = client.get(url)
    assert resp.status_code == 200, (url, resp.status_code)
    return (time.perf_counter() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--query", default="falls")
    args = parser.parse_args()

    _ensure_data(args.scale)

    from qicollab.accounts.models import Person
    from qicollab.demo import synthetic
    from qicollab.projects.models import PdsaCycle, Project
    from qicollab.search.models import SearchDocument

    lead = Person.objects.get(email=synthetic.lead_email(1))
    client = Client()
    client.force_login(lead, backend="django.contrib.auth.backends.ModelBackend")
    pages = {
        "search, first page": reverse("search:search") + f"?q={args.query}",
        "privacy (trivial)": reverse("core:privacy"),
    }
    print(
        f"Search on {connection.vendor}: {Project.objects.count():,} projects, "
        f"{PdsaCycle.objects.count():,} PDSA cycles, {SearchDocument.objects.count():,} "
        f"documents; {args.runs} runs each; {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    queries = {}
    for name, url in pages.items():
        for _ in range(2):
            _time(client, url)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        queries[name] = len(ctx.captured_queries)
    times: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(args.runs):  # alternate, so both pages see the same machine load
        for name, url in pages.items():
            times[name].append(_time(client, url))
    for name in pages:
        t = times[name]
        print(
            f"  {name:<20} median {statistics.median(t):7.1f} ms  p95 {_p95(t):7.1f} ms  "
            f"{queries[name]:3d} queries"
        )
    search_ms = statistics.median(times["search, first page"])
    trivial_ms = statistics.median(times["privacy (trivial)"])
    print(
        f"  ratio search / trivial: {search_ms / trivial_ms:.1f}x; "
        f"{'ok' if search_ms < TARGET_MS else 'OVER'} against {TARGET_MS:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
