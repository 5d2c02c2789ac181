"""Every page's wall time and SQL queries on the national data set (issue 18's budget).

    PYTHONPATH=src python bench/bench_crawl.py [--runs 7] [--persona collaborative_lead]
        [--scale 1.0] [--write-docs]

Uses ``DATABASE_URL`` when set (PostgreSQL, say), else the SQLite file
``var/bench_national.sqlite3``; migrates and loads the synthetic national set
(``seed_national``) first if it is missing (not timed; minutes at scale 1.0). Then, for each
national-scale persona of ``nat-psc-01`` (collaborative lead, faculty, programme manager,
project lead, national admin), it discovers every GET route the person can reach with
:func:`qicollab.core.crawl.crawl` (URL patterns filled from the data, and the links of
every page: no hand-kept list) and measures each reached URL through Django's test client
in this process: ``--runs`` requests with the cache cleared before each (cold) and
``--runs`` with it warm, reporting the median and 95th percentile wall time and the
queries of one cold and one warm request. Routes over the budget (300 ms median warm,
600 ms median cold) are printed at the end; ``--write-docs`` puts the table in
docs/performance.md between the markers for this database. Timing is never asserted in
tests; the query counts are (tests/test_crawl_budget.py).

Why the test client and not gunicorn: it measures what the application costs per request
(middleware, session, queries, SPC, charts, templates) without the network and worker
scheduling noise that a shared 2-core machine adds, and it can clear the cache between
requests in the same process; ``bench/bench_pages.py`` measures throughput under gunicorn.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import time
from datetime import UTC, datetime
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

from qicollab.core import crawl  # noqa: E402
from qicollab.demo import synthetic  # noqa: E402

WARM_BUDGET_MS = 300.0
COLD_BUDGET_MS = 600.0
DOCS = ROOT / "docs" / "performance.md"


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:  # pragma: no cover - not Linux
        pass
    return platform.processor() or "unknown CPU"


def _ensure_data(scale: float) -> None:
    call_command("migrate", verbosity=0)
    if synthetic.loaded():
        return
    print(f"Loading the national data set at scale {scale:g} (not timed)…", flush=True)
    started = time.perf_counter()
    call_command("seed_national", "--scale", str(scale), "--no-progress")
    print(f"  loaded in {time.perf_counter() - started:.0f} s", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed requests, cold and warm")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument(
        "--persona", action="append", choices=synthetic.PERSONAS, help="default: all five"
    )
    parser.add_argument("--write-docs", action="store_true", help="update docs/performance.md")
    args = parser.parse_args()
    _ensure_data(args.scale)
    vendor = connection.vendor
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    started = datetime.now(UTC)
    print(
        f"{vendor}, {_cpu()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average {load:.1f} at start, {args.runs} runs cold and warm per URL",
        flush=True,
    )
    people = synthetic.personas()
    rows: list[tuple[str, crawl.Visit, list[float], list[float]]] = []
    for name in args.persona or synthetic.PERSONAS:
        person = people.get(name)
        if person is None:
            print(f"== {name}: not in the data set; skipped")
            continue
        client = Client()
        client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
        found = crawl.crawl(client)
        reached = found.reached()
        print(f"== {name} ({person.email}): {len(reached)} URLs reached", flush=True)
        for v in reached:
            cold = crawl.time_get(client, v.url, runs=args.runs, cold=True)
            client.get(v.url)
            warm = crawl.time_get(client, v.url, runs=args.runs, cold=False)
            rows.append((name, v, cold, warm))
            print(
                f"  {statistics.median(warm):8.1f} ms warm  {statistics.median(cold):8.1f} ms cold"
                f"  q {v.warm_queries:3d}/{v.cold_queries:3d}  {v.url}",
                flush=True,
            )
        unreached = found.unreached(crawl.routes())
        if unreached:
            print(f"  not reached by {name}: " + ", ".join(r.name for r in unreached))
    load_end = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    over = [
        (n, v, c, w)
        for n, v, c, w in rows
        if statistics.median(w) > WARM_BUDGET_MS or statistics.median(c) > COLD_BUDGET_MS
    ]
    table = [
        f"{vendor}, {started:%Y-%m-%d %H:%M} UTC, {_cpu()}, {os.cpu_count()} CPUs, load "
        f"average {load:.1f} → {load_end:.1f}, {args.runs} runs each"
        + (" — **taken under load**" if max(load, load_end) > 1.5 else ""),
        "",
        "| persona | route | URL | warm median | warm p95 | cold median | cold p95 "
        "| queries warm / cold |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for n, v, c, w in rows:
        flag = " ⚠" if (n, v, c, w) in over else ""
        table.append(
            f"| {n} | `{v.name}` | `{v.url}` | {statistics.median(w):.0f} ms{flag} "
            f"| {_p95(w):.0f} ms | {statistics.median(c):.0f} ms | {_p95(c):.0f} ms "
            f"| {v.warm_queries} / {v.cold_queries} |"
        )
    print("\n".join(table))
    print(f"\n{len(over)} of {len(rows)} URLs over budget (300 ms warm, 600 ms cold medians):")
    for n, v, c, w in over:
        print(
            f"  {n}: {v.url} warm {statistics.median(w):.0f} ms, cold {statistics.median(c):.0f} ms"
        )
    if args.write_docs:
        text = DOCS.read_text(encoding="utf-8")
        start, end = f"<!-- crawl:{vendor}:start -->", f"<!-- crawl:{vendor}:end -->"
        block = start + "\n" + "\n".join(table) + "\n" + end
        if start in text:
            text = re.sub(
                re.escape(start) + ".*?" + re.escape(end), lambda _: block, text, flags=re.S
            )
        else:
            text += "\n" + block + "\n"
        DOCS.write_text(text, encoding="utf-8")
        print(f"wrote the table to {DOCS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
