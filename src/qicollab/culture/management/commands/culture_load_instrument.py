"""Load a safety-culture instrument file (or the shipped defaults), or a licensed texts file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qicollab.core.services import ServiceError
from qicollab.culture import services
from qicollab.culture.models import Instrument


class Command(BaseCommand):
    help = (
        "Load an instrument file (all or nothing, every problem listed), the shipped "
        "instruments (--defaults), or item texts for a licensed instrument (--texts CODE VERSION)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", help="the JSON file")
        parser.add_argument("--defaults", action="store_true", help="load the shipped instruments")
        parser.add_argument("--texts", nargs=2, metavar=("CODE", "VERSION"),
                            help="the file is a texts file for this instrument")  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["defaults"]:
                for inst in services.load_default_instruments(actor=None):
                    self.stdout.write(f"{inst}: loaded")
                return
            if not options["path"]:
                raise CommandError("Give the path of an instrument file, or --defaults")
            text = Path(options["path"]).read_bytes()
            if options["texts"]:
                code, version = options["texts"]
                target = Instrument.objects.filter(code=code, version=version).first()
                if target is None:
                    raise CommandError(f'No instrument "{code}" version "{version}" is loaded')
                n = services.instrument_load_texts(actor=None, instrument=target, text=text)
                self.stdout.write(f"{target}: texts of {n} items loaded")
                return
            inst = services.instrument_load(actor=None, text=text)
            self.stdout.write(f"{inst}: loaded")
        except OSError as exc:
            raise CommandError(f"Cannot read the file: {exc}") from exc
        except ServiceError as exc:
            problems = getattr(exc, "problems", [exc.message])
            raise CommandError("Nothing was loaded:\n- " + "\n- ".join(problems)) from exc
