"""``qicollab run_scheduler``: start scheduled jobs when they are due (no cron needed)."""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection

from qicollab.jobs.scheduler import run_due


class Command(BaseCommand):
    help = "Start scheduled jobs (reminders, purges, recovery of stalled jobs) when due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Check once and exit.")
        parser.add_argument(
            "--interval", type=float, default=30.0, help="Seconds between checks (default 30)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        running = True

        def stop(signum: int, frame: object) -> None:
            nonlocal running
            running = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while True:
            if not connection.in_atomic_block:  # a long-lived loop: drop dead connections
                close_old_connections()
            for name in run_due():
                self.stdout.write(f"started {name}")
            if options["once"] or not running:
                return
            deadline = time.monotonic() + options["interval"]
            while running and time.monotonic() < deadline:
                time.sleep(0.2)
            if not running:
                return
