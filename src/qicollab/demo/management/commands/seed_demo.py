"""``manage.py seed_demo``: build the demo collaborative (idempotent; ``make run`` runs it)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from qicollab.demo import STEPS, StepResult, run_demo
from qicollab.demo.registry import DemoStepError


class Command(BaseCommand):
    help = (
        "Build the fictional demo collaborative: 11 mental-health trusts, about 80 people, "
        "workstreams and themes. Safe to run again: only what is missing is created."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--refresh",
            action="store_true",
            help="Also put existing demo rows back to their demo values and reset the demo "
            "passwords (rows you added yourself are never touched).",
        )
        parser.add_argument(
            "--only",
            action="append",
            default=[],
            metavar="STEP",
            help="Run only this step (repeatable); see --list.",
        )
        parser.add_argument("--list", action="store_true", help="List the steps and stop.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off. Every demo account shares a published password, "
            "so only do this on a throwaway database.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for step in STEPS:
                needs = f" (needs {', '.join(step.requires)})" if step.requires else ""
                self.stdout.write(f"{step.key:<16} {step.title}{needs}")
            return
        if not (settings.DEBUG or _serves_loopback_only()) and not options["force"]:
            raise CommandError(
                "Refusing to load demo data on a server reachable from other machines: every "
                "demo account shares a published password. Use a development database "
                "(make run serves 127.0.0.1 only), or pass --force if this database is a "
                "throwaway."
            )
        verbose = options["verbosity"] >= 1
        if verbose:
            self.stdout.write("Loading the demo collaborative (all names are fictional)…")

        def report(result: StepResult) -> None:
            if verbose:
                self.stdout.write(
                    f"  {result.step.title:<36} {result.stats!s:<44} {result.seconds:5.2f} s"
                )

        started = time.perf_counter()
        try:
            results = run_demo(refresh=options["refresh"], only=options["only"], on_step=report)
        except DemoStepError as exc:
            raise CommandError(str(exc)) from exc
        if verbose:
            created = sum(r.stats.created for r in results)
            updated = sum(r.stats.updated for r in results)
            summary = (
                "nothing to do: the demo data is already there"
                if not (created or updated)
                else f"{created} created, {updated} updated"
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo data ready ({summary}) in {time.perf_counter() - started:.1f} s."
                )
            )
            self.stdout.write("Log in as one of the demo people: manage.py demo_logins")


_LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


def _serves_loopback_only() -> bool:
    """True for the local demo (``make run``): every allowed host is this machine."""
    hosts = set(settings.ALLOWED_HOSTS)
    return bool(hosts) and hosts <= _LOOPBACK
