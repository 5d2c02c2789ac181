"""``manage.py demo_logins``: the demo accounts to log in as (``make run`` prints them)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.management.base import BaseCommand, CommandError

from qicollab.accounts.models import Person
from qicollab.demo import DEMO_PASSWORD, PERSONAS


def _works(encoded: str, verified: dict[str, bool]) -> bool:
    """Whether the demo password opens this hash (each distinct hash is checked once)."""
    if encoded not in verified:
        # No setter: printing the logins must never write to the database.
        verified[encoded] = check_password(DEMO_PASSWORD, encoded)
    return verified[encoded]


class Command(BaseCommand):
    help = "Print the demo logins: one account per kind of user, and the shared password."

    def handle(self, *args: Any, **options: Any) -> None:
        people = {p.email: p for p in Person.objects.filter(email__in=[x.email for x in PERSONAS])}
        if not people:
            raise CommandError("There is no demo data yet. Run: manage.py seed_demo")
        url = settings.SITE_URL.rstrip("/") + "/"
        rows = [("Role", "Email", "Name")]
        notes: set[str] = set()
        # Demo accounts share one hash: verify each distinct hash once (Argon2 is slow on purpose).
        verified: dict[str, bool] = {}
        for persona in PERSONAS:
            person = people.get(persona.email)
            name = persona.name
            if person is None:
                name += " (missing *)"
                notes.add("* missing: run manage.py seed_demo")
            elif not (person.is_active and _works(person.password, verified)):
                name += " (changed †)"
                notes.add(
                    "† password changed or account deactivated: manage.py seed_demo --refresh"
                )
            rows.append((persona.role, persona.email, name))
        widths = [max(len(r[i]) for r in rows) for i in range(3)]

        def line(cells: tuple[str, ...]) -> str:
            return "  " + "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

        out = self.stdout
        out.write("")
        out.write(self.style.MIGRATE_HEADING(f"Demo logins for {url}"))
        out.write(f"  Password for every account: {self.style.SUCCESS(DEMO_PASSWORD)}")
        out.write("  All people and organisations are fictional.")
        out.write("")
        out.write(line(rows[0]))
        out.write(line(tuple("-" * w for w in widths)))
        for row in rows[1:]:
            out.write(line(row))
        for note in sorted(notes):
            out.write(f"  {note}")
        out.write("")
