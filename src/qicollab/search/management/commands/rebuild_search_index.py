"""Re-create the search index from the owning apps (after a restore, or to be sure)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from qicollab.search.index import rebuild


class Command(BaseCommand):
    help = (
        "Re-create the search index (projects, PDSA cycles, storyboards, shared learning, "
        "people, organisations)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = rebuild()
        self.stdout.write(f"The search index holds {count} documents.")
