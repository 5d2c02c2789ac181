"""``qicollab restore ARCHIVE``: put back a database and uploaded files from a backup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from qicollab.core.backup import BackupError, Manifest, restore_archive


class Command(BaseCommand):
    help = (
        "Restore a backup archive made by `qicollab backup`: REPLACES the database and every "
        "file under MEDIA_ROOT. Checks checksums, database vendor and migration state first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="The .tar written by `qicollab backup`.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")
        parser.add_argument("--database", default="default", help="Database alias to restore.")

    def _confirm(self, manifest: Manifest) -> bool:
        target = settings.DATABASES[self._alias]["NAME"]
        self.stdout.write(
            self.style.WARNING(
                f"This REPLACES the {manifest.vendor} database {target!s} and everything under "
                f"{settings.MEDIA_ROOT} with the backup made {manifest.created_at}."
            )
        )
        answer = input("Type 'yes' to continue: ")
        return answer.strip().lower() == "yes"

    def handle(self, *args: Any, **options: Any) -> None:
        self._alias = options["database"]
        archive = Path(options["archive"])
        if not archive.is_file():
            raise CommandError(f"{archive} does not exist or is not a file.")
        try:
            restore_archive(
                archive,
                media_root=Path(settings.MEDIA_ROOT),
                using=self._alias,
                confirm=None if options["yes"] else self._confirm,
                progress=self.stdout.write,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Restore complete from {archive}."))
