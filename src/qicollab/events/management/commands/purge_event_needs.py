"""Delete accessibility and dietary answers once their learning session is over."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from qicollab.events.services import needs_purge


class Command(BaseCommand):
    help = "Delete accessibility and dietary needs of learning sessions that have ended."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{needs_purge()} answer(s) deleted.")
