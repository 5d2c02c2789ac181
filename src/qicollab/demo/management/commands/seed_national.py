"""``manage.py seed_national --scale 1.0``: load the synthetic national data set."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qicollab.demo import synthetic


class Command(BaseCommand):
    help = (
        "Load a synthetic national data set (at --scale 1.0: 15 collaboratives, 450 "
        "organisations, 5,000 people, 2,000 projects, 10,000 measures, about 1 M data "
        "points) beside the demo, under the 'nat-synthetic' programme. Refuses if it is "
        "already loaded; --replace removes it first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Fraction of the national size (0.01 for tests).",
        )
        parser.add_argument(
            "--seed", type=int, default=2017, help="Random seed (same seed, same data)."
        )
        parser.add_argument(
            "--replace", action="store_true", help="Remove a loaded synthetic set first."
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress bar (for logs and CI)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scale = options["scale"]
        if not 0 < scale <= 5:
            raise CommandError("--scale must be more than 0 and at most 5, e.g. 1.0 or 0.01.")
        out = None if options["no_progress"] or options["verbosity"] == 0 else sys.stderr
        started = time.perf_counter()
        if synthetic.loaded():
            if not options["replace"]:
                raise CommandError(
                    "The synthetic national data set is already loaded (programme "
                    f"'{synthetic.PROGRAMME_SLUG}'). Run with --replace to load it again."
                )
            self.stdout.write("Removing the loaded synthetic national data set…")
            synthetic.remove()
        sizes = synthetic.Sizes.for_scale(scale)
        self.stdout.write(
            f"Loading {sizes.collaboratives} collaboratives, {sizes.organisations} organisations, "
            f"{sizes.people:,} people, {sizes.projects:,} projects (scale {scale:g})…"
        )
        counts = synthetic.build(scale=scale, seed=options["seed"], out=out)
        elapsed = time.perf_counter() - started
        summary = ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Done in {elapsed:.1f} s: {summary}."))
        self.stdout.write(
            f"Collaborative leads: {synthetic.lead_email(1)} … (passwords unusable: set one "
            "with 'manage.py changepassword' to log in)."
        )
