"""Benchmark of the SPC engine (``qicollab.spc``); run from the repository root:

    PYTHONPATH=src python bench/bench_spc.py [--quick]

Prints the median wall time of one chart of 24, 100 and 1,000 points (i chart, Making
Data Count rules, runs analysis, icons), and the time and peak memory (tracemalloc) of
10,000 series x 104 weekly points (about 1 M points, mixed chart types, all rules) through
``batch``. Figures are recorded in docs/performance.md. Timing is never asserted in tests.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable

import numpy as np

from qicollab import spc

KINDS = ["i", "p", "u", "c", "run", "mr", "pp", "up", "g", "t"]
NEEDS_N = {"p", "pp", "u", "up"}


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:  # pragma: no cover - not Linux
        pass
    return platform.processor() or "unknown CPU"


def _times(fn: Callable[[], object], repeat: int, number: int) -> tuple[float, float, float]:
    """(median wall, min wall, median CPU) over ``repeat`` batches of ``number`` calls, in
    seconds per call. CPU time (``time.process_time``) is less sensitive to other load."""
    fn()
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        for _ in range(number):
            fn()
        wall.append((time.perf_counter() - start) / number)
        cpu.append((time.process_time() - start_cpu) / number)
    return statistics.median(wall), min(wall), statistics.median(cpu)


def single_charts(quick: bool) -> None:
    rng = np.random.default_rng(2024)
    print("One chart (i chart, MDC rules + runs + icons), input a Python list:")
    for length in (24, 100, 1000):
        y = (rng.normal(50, 5, length) + np.linspace(0, 5, length)).round(2).tolist()
        number = 50 if length < 1000 else 20
        wall, best, cpu = _times(lambda y=y: spc.chart(y, chart="i"), 61 if quick else 201, number)
        print(
            f"  {length:5d} points: median {wall * 1e3:.3f} ms per chart "
            f"(min {best * 1e3:.3f} ms, median CPU {cpu * 1e3:.3f} ms)"
        )
    y = rng.normal(50, 5, 100).round(2).tolist()
    wall, best, cpu = _times(lambda: spc.chart(y, chart="i").to_dict(), 21 if quick else 61, 50)
    print(
        f"    100 points incl. to_dict() (JSON-ready dicts): median {wall * 1e3:.3f} ms "
        f"(min {best * 1e3:.3f} ms)"
    )


def make_batch(series: int, length: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict]:
    rng = np.random.default_rng(7)
    ids = np.repeat(np.arange(series), length)
    kinds = {s: KINDS[s % len(KINDS)] for s in range(series)}
    n = rng.integers(50, 400, series * length).astype(np.float64)
    rate = np.repeat(rng.uniform(0.05, 0.4, series), length)
    y = rng.binomial(n.astype(np.int64), rate).astype(np.float64)
    for s, kind in kinds.items():
        lo, hi = s * length, (s + 1) * length
        if kind in ("t", "g"):
            y[lo:hi] = rng.exponential(30, length).round(1) + 0.5
        elif kind == "c":
            y[lo:hi] = rng.poisson(12, length)
        elif kind in ("i", "run", "mr"):
            y[lo:hi] = rng.normal(100, 10, length).round(1)
        if kind not in NEEDS_N:
            n[lo:hi] = np.nan  # no denominators (an n would make run/i/mr plot y / n)
    return ids, y, n, kinds


def batch_run(quick: bool) -> None:
    series, length = (2000, 104) if quick else (10_000, 104)
    ids, y, n, kinds = make_batch(series, length)
    print(
        f"\nBatch: {series:,} series x {length} weekly points ({series * length:,} points), "
        f"chart types {', '.join(KINDS)}, MDC rules + runs + icons:"
    )
    times, cpus = [], []
    for _ in range(3 if quick else 7):
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        res = spc.batch(ids, y, n, chart=kinds)
        times.append(time.perf_counter() - start)
        cpus.append(time.process_time() - start_cpu)
    print(
        f"  batch(): median {statistics.median(times):.3f} s (min {min(times):.3f} s, "
        f"median CPU {statistics.median(cpus):.3f} s, {len(times)} runs)"
    )
    start = time.perf_counter()
    materialised = [res[key] for key in res]
    t_mat = time.perf_counter() - start
    print(f"  materialising all {len(materialised):,} ChartResult objects: {t_mat:.3f} s")
    gc.collect()
    tracemalloc.start()
    res = spc.batch(ids, y, n, chart=kinds)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  peak memory (tracemalloc, inputs excluded): {peak / 2**20:.0f} MiB")
    sample = list(range(0, series, max(series // 200, 1)))
    start = time.perf_counter()
    for s in sample:
        lo, hi = s * length, (s + 1) * length
        spc.chart(y[lo:hi], n[lo:hi] if kinds[s] in NEEDS_N else None, chart=kinds[s])
    per = (time.perf_counter() - start) / len(sample)
    print(
        f"  for comparison, chart() in a Python loop: {per * 1e3:.3f} ms per series "
        f"(~{per * series:.1f} s for all)"
    )
    assert all(
        res[s]
        == spc.chart(
            y[s * length : (s + 1) * length],
            n[s * length : (s + 1) * length] if kinds[s] in NEEDS_N else None,
            chart=kinds[s],
        )
        for s in sample[:20]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repeats, 2,000 series")
    args = parser.parse_args()
    print(
        f"Machine: {_cpu()}, {os.cpu_count()} cores; Python {platform.python_version()}, "
        f"numpy {np.__version__}, {platform.system()} {platform.release()}"
    )
    try:
        load = os.getloadavg()
        print(f"Load average at start: {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f}")
    except OSError:  # pragma: no cover
        pass
    print(f"Command: {' '.join([os.path.basename(sys.executable), *sys.argv])}\n")
    single_charts(args.quick)
    batch_run(args.quick)


if __name__ == "__main__":
    main()
