"""Throughput of the project page against the trivial page, under gunicorn; run from the root:

    PYTHONPATH=src python bench/bench_pages.py [--requests 300] [--concurrency 4] [--rounds 3]

Serves the demo collaborative the way ``make run`` does (gunicorn, 2 workers, DEBUG off,
hashed static files, a loopback port) from the SQLite file ``var/bench_pages.sqlite3``
(``DATABASE_URL`` to use another database), loading the demo there first if it is missing
(not timed, about a minute). It signs in as the demo project lead through the login form,
then sends ``--requests`` GETs per page from ``--concurrency`` threads (plain
``http.client``, a new connection per request as gunicorn's sync workers close each one),
alternating the two pages for ``--rounds`` rounds so that both see the same machine load,
and prints requests per second for each page, the ratio (target: the project page at least
50% of the privacy page's throughput), latency percentiles and each page's SQL queries
(counted in-process with Django's test client on the same data). Figures are recorded in
docs/performance.md. Timing is never asserted in tests.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var"
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR / 'bench_pages.sqlite3'}"
PROJECT_SLUG = "larkspur-restrictive-practice"
PERSONA = "staff_a"  # the project's lead: sees everything on the page, its history included
TARGET_RATIO = 0.5

# What `make run` sets (DEMO_ENV in the Makefile), with this run's own secret and static root.
SERVER_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(48),
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_COOKIES": "false",
    "SECURE_HSTS_SECONDS": "0",
    "DATABASE_URL": DATABASE_URL,
    "STATIC_ROOT": str(VAR / "bench_static"),
    "DJANGO_SETTINGS_MODULE": "qicollab.config.settings",
    "PYTHONPATH": str(ROOT / "src"),
}


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:  # pragma: no cover - not Linux
        pass
    return platform.processor() or "unknown CPU"


def _manage(*args: str) -> None:
    env = {**os.environ, **SERVER_ENV}
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    subprocess.run(command, env=env, check=True)  # noqa: S603 - our own manage.py


def _prepare() -> None:
    """Migrate, load the demo if it is missing, collect static files (none of it timed)."""
    VAR.mkdir(exist_ok=True)
    _manage("migrate", "--no-input", "-v0")
    _manage("seed_demo", "-v0")  # idempotent: "nothing to do" once loaded
    _manage("collectstatic", "--no-input", "-v0")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_server(port: int) -> subprocess.Popen[bytes]:
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    # As `make run` serves: two sync workers on the loopback address.
    command = [gunicorn, "qicollab.config.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "2", "--log-level", "warning"]
    proc = subprocess.Popen(command, env={**os.environ, **SERVER_ENV})  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _, _ = _get(port, "/privacy/", "")
            if status == 200:
                return proc
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


def _get(port: int, path: str, cookie: str) -> tuple[int, bytes, http.client.HTTPResponse]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        resp = conn.getresponse()
        body = resp.read()
        return resp.status, body, resp
    finally:
        conn.close()


def _sign_in(port: int, email: str, password: str) -> str:
    """Log in through the form (CSRF token and all); return the Cookie header to send."""
    status, body, resp = _get(port, "/accounts/login/", "")
    assert status == 200, status
    csrf_cookie = next(
        c.split(";", 1)[0]
        for c in resp.headers.get_all("Set-Cookie") or []
        if c.startswith("csrftoken=")
    )
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    assert match, "no CSRF token on the login page"
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": match.group(1).decode(), "username": email, "password": password}
    )
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(
            "POST",
            "/accounts/login/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": csrf_cookie,
                "Referer": f"http://127.0.0.1:{port}/accounts/login/",
            },
        )
        resp = conn.getresponse()
        resp.read()
        session = next(
            (
                c.split(";", 1)[0]
                for c in resp.headers.get_all("Set-Cookie") or []
                if c.startswith("sessionid=")
            ),
            None,
        )
    finally:
        conn.close()
    if resp.status != 302 or session is None:
        raise SystemExit(f"could not sign in as {email}: {resp.status}")
    return f"{csrf_cookie}; {session}"


def _load(port: int, path: str, cookie: str, requests: int, concurrency: int) -> dict[str, float]:
    """``requests`` GETs of ``path`` from ``concurrency`` threads: throughput and latency."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    remaining = iter(range(requests))

    def worker() -> None:
        while True:
            with lock:
                if next(remaining, None) is None:
                    return
            start = time.perf_counter()
            status, _, _ = _get(port, path, cookie)
            took = time.perf_counter() - start
            with lock:
                latencies.append(took)
                if status != 200:
                    errors.append(f"{path}: {status}")

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    if errors:
        raise SystemExit(f"{len(errors)} failed requests, e.g. {errors[0]}")
    ordered = sorted(latencies)
    return {
        "rps": requests / wall,
        "p50": statistics.median(ordered) * 1000,
        "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000,
    }


def _query_counts(pages: dict[str, str], email: str) -> dict[str, int]:
    """SQL queries per page for the same person, in-process (the server cannot count them)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from qicollab.accounts.models import Person

    client = Client()
    client.force_login(Person.objects.get(email=email), backend=BACKEND)
    counts = {}
    for name, path in pages.items():
        client.get(path)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        counts[name] = len(ctx.captured_queries)
    return counts


BACKEND = "django.contrib.auth.backends.ModelBackend"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="per page and round")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    # Django in this process only counts queries (settings for tests, the same database).
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qicollab.config.settings_test")
    import django

    django.setup()
    from qicollab.core.demo.context import DEMO_PASSWORD
    from qicollab.core.demo.personas import persona

    email = persona(PERSONA).email
    pages = {"privacy": "/privacy/", "project": f"/projects/{PROJECT_SLUG}/"}
    _prepare()
    port = _free_port()
    server = _start_server(port)
    try:
        cookie = _sign_in(port, email, DEMO_PASSWORD)
        print(
            f"Pages under gunicorn (2 workers, DEBUG off) on {DATABASE_URL.split(':', 1)[0]}, "
            f"signed in as {email}; {args.rounds} rounds x {args.requests} requests per page, "
            f"concurrency {args.concurrency}; {_cpu()}, {os.cpu_count()} CPUs, "
            f"load average {os.getloadavg()[0]:.1f}"
        )
        for path in pages.values():  # warm-up: imports, templates, caches, connections
            _load(port, path, cookie, 20, args.concurrency)
        results: dict[str, list[dict[str, float]]] = {name: [] for name in pages}
        for r in range(args.rounds):
            for name, path in pages.items():
                res = _load(port, path, cookie, args.requests, args.concurrency)
                results[name].append(res)
                print(
                    f"  round {r + 1} {name:<8} {res['rps']:7.1f} req/s  "
                    f"p50 {res['p50']:6.1f} ms  p95 {res['p95']:6.1f} ms"
                )
    finally:
        server.terminate()
        server.wait(timeout=30)
    counts = _query_counts(pages, email)
    median = {name: statistics.median(x["rps"] for x in res) for name, res in results.items()}
    ratio = median["project"] / median["privacy"]
    for name in pages:
        print(f"  {name:<8} median {median[name]:7.1f} req/s  {counts[name]:3d} queries")
    verdict = "ok" if ratio >= TARGET_RATIO else f"UNDER {TARGET_RATIO:.0%}"
    print(f"  project/privacy throughput: {ratio:.0%} ({verdict})")
    print(f"  load average after: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
