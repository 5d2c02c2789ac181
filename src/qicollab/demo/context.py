"""The state a demo run carries from step to step, and the idempotent "ensure" writes.

Every write goes through :func:`qicollab.core.services.save_as`, so demo rows get the same
validation (``full_clean``) and the same audit history as rows made in the product; the
history shows them as made by "System" with the reason "Demo data".
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.db import models
from django.utils import timezone

from qicollab.accounts.models import Person
from qicollab.core.services import save_as
from qicollab.organisations.models import Collaborative, Organisation

M = TypeVar("M", bound=models.Model)

#: The one password of every demo account. It is published (README, ``demo_logins``), which
#: is why ``seed_demo`` refuses to run with DEBUG off unless forced.
DEMO_PASSWORD = "qicollab-demo-2026"  # noqa: S105 - a deliberately public demo password

CHANGE_REASON = "Demo data"


@dataclass
class StepStats:
    """What one step did: rows created, rows brought back to the demo values, rows left alone."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


class DemoContext:
    """Shared by the steps of one run: options, a seeded random source and lookups by natural key.

    ``refresh=False`` (the default, used by ``make run``) only creates what is missing, so
    changes made while trying the demo survive a restart. ``refresh=True`` also puts existing
    demo rows back to their demo values (and resets demo passwords); rows the demo does not
    know about are never touched or deleted.
    """

    def __init__(self, *, refresh: bool = False, today: dt.date | None = None) -> None:
        self.refresh = refresh
        self.today = today or timezone.localdate()
        # The demo's writes are the system's, not any person's.
        self.actor: Person | None = None
        self.stats = StepStats()
        self._orgs: dict[str, Organisation] = {}
        self._people: dict[str, Person] = {}
        self._collaboratives: dict[str, Collaborative] = {}

    # --- randomness -------------------------------------------------------------------

    @staticmethod
    def rng(*parts: str) -> random.Random:
        """A random source seeded by ``parts``, so each step's choices are stable on their own.

        Seeding per purpose (not one stream for the whole run) means a later step that draws
        more numbers cannot change the names an earlier step generates.
        """
        return random.Random("|".join(("qicollab-demo", *parts)))  # noqa: S311 - not for security

    # --- passwords --------------------------------------------------------------------

    @cached_property
    def password_hash(self) -> str:
        """One hash for every demo account: hashing ~80 times with Argon2 would take seconds."""
        return make_password(DEMO_PASSWORD)

    # --- idempotent writes ------------------------------------------------------------

    def ensure(
        self,
        model: type[M],
        *,
        key: Mapping[str, Any],
        values: Mapping[str, Any] | None = None,
        create_only: Mapping[str, Any] | None = None,
        match: models.QuerySet[M] | None = None,
    ) -> tuple[M, bool]:
        """Find the row by its natural ``key`` (or ``match``); create it if missing.

        ``values`` are set on creation, and on existing rows only when refreshing (and then
        saved only if something really differs, so an unchanged row gets no history entry).
        ``create_only`` values are set on creation alone. Returns ``(obj, created)``.
        """
        values = dict(values or {})
        found = (match if match is not None else model._default_manager.filter(**key)).first()
        if found is None:
            obj = model(**key, **values, **(create_only or {}))
            self._save(obj)
            self.stats.created += 1
            return obj, True
        if self.refresh and self.apply(found, values):
            self._save(found)
            self.stats.updated += 1
        else:
            self.stats.unchanged += 1
        return found, False

    def ensure_m2m(
        self, obj: models.Model, field: str, wanted: Iterable[models.Model], *, created: bool
    ) -> None:
        """Set a many-to-many field on a new row, or on any row when refreshing, if it differs."""
        if not (created or self.refresh):
            return
        manager = getattr(obj, field)
        wanted_pks = {o.pk for o in wanted}
        if set(manager.values_list("pk", flat=True)) == wanted_pks:
            return
        obj._history_user = self.actor  # type: ignore[attr-defined]
        obj._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
        manager.set(wanted_pks)
        if not created:
            self.stats.updated += 1

    @staticmethod
    def apply(obj: models.Model, values: Mapping[str, Any]) -> bool:
        """Set ``values`` on ``obj``; return whether anything changed."""
        changed = False
        for name, value in values.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                changed = True
        return changed

    def _save(self, obj: models.Model) -> None:
        obj._change_reason = CHANGE_REASON  # type: ignore[attr-defined]
        save_as(obj, self.actor)

    def counted(self, *, created: bool, changed: bool) -> None:
        """Record the outcome of a write a step made through a domain service."""
        if created:
            self.stats.created += 1
        elif changed:
            self.stats.updated += 1
        else:
            self.stats.unchanged += 1

    # --- lookups by natural key (cached for the run) ----------------------------------

    def org(self, slug: str) -> Organisation:
        if slug not in self._orgs:
            self._orgs[slug] = Organisation.objects.get(slug=slug)
        return self._orgs[slug]

    def person(self, email: str) -> Person:
        if email not in self._people:
            self._people[email] = Person.objects.get(email=email)
        return self._people[email]

    def collaborative(self, slug: str) -> Collaborative:
        if slug not in self._collaboratives:
            self._collaboratives[slug] = Collaborative.objects.get(slug=slug)
        return self._collaboratives[slug]

    def remember(self, obj: models.Model) -> None:
        """Cache a row a step has just made, so later steps need not query for it."""
        if isinstance(obj, Organisation):
            self._orgs[obj.slug] = obj
        elif isinstance(obj, Person):
            self._people[obj.email] = obj
        elif isinstance(obj, Collaborative):
            self._collaboratives[obj.slug] = obj
