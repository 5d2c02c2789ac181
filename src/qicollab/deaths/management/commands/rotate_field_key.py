"""``qicollab rotate_field_key``: re-encrypt stored identifiers with the newest key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qicollab.deaths.rotation import FieldCount, rotate_all


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field with the first key in FIELD_ENCRYPTION_KEY "
        "(and recompute their digests). Safe to run again; the old key can be dropped after."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction.")

    def _progress(self, count: FieldCount) -> None:
        self.stdout.write(
            f"{count.label}: {count.rotated} re-encrypted, {count.current} already current, "
            f"{count.digests} digest(s) updated, {len(count.failed)} unreadable"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        counts = rotate_all(batch_size=options["batch_size"], progress=self._progress)
        rotated = sum(c.rotated for c in counts)
        current = sum(c.current for c in counts)
        failed = [(c.label, pk) for c in counts for pk in c.failed]
        self.stdout.write(
            f"Done: {rotated} value(s) re-encrypted, {current} already under the newest key."
        )
        if failed:
            label, pk = failed[0]
            raise CommandError(
                f"{len(failed)} value(s) could not be decrypted with any configured key "
                f"(e.g. {label} id {pk}). Add the key they were written with to "
                "FIELD_ENCRYPTION_KEY (after the new one) and run this again; do not drop "
                "the old key yet."
            )
        self.stdout.write(self.style.SUCCESS("Every encrypted value uses the newest key."))
