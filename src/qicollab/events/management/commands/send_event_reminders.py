"""Email reminders for learning sessions starting soon. Safe to run as often as you like:
each booking is reminded once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from qicollab.events.services import reminders_send


class Command(BaseCommand):
    help = "Email people booked on learning sessions starting within --days days (once each)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=3, help="How far ahead (default 3).")

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders_send(days_ahead=max(0, options["days"]))
        self.stdout.write(f"{sent} reminder(s) sent.")
