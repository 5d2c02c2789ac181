"""``qicollab backup``: the database and uploaded files in one checked archive."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from qicollab.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write a backup archive (.tar): a consistent database dump (SQLite online backup or "
        "pg_dump), every file under MEDIA_ROOT, and a manifest with checksums."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            "-o",
            help="Archive path, or a directory to put a timestamped archive in "
            "(default: the current directory).",
        )
        parser.add_argument("--database", default="default", help="Database alias to back up.")

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        output = Path(options["output"] or ".")
        if output.is_dir() or not output.suffix:
            output = output / f"qicollab-backup-{stamp}.tar"
        try:
            manifest = create_backup(
                output,
                media_root=Path(settings.MEDIA_ROOT),
                using=options["database"],
                progress=self.stdout.write,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup complete: {output} ({len(manifest.files)} file(s) checked)."
            )
        )
