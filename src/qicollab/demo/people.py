"""Demo step: about 80 people and their roles in their organisations."""

from __future__ import annotations

import datetime as dt

from qicollab.accounts.models import Person
from qicollab.demo import content as c
from qicollab.demo.context import DemoContext
from qicollab.organisations.models import Affiliation


def generated_staff() -> list[c.PersonSpec]:
    """Staff of the current member trusts, beyond the named ones: the same list on every run.

    Each trust draws from its own seeded random source; names already in use are skipped,
    so every generated person has a distinct name and email.
    """
    used = {p.full_name for p in c.NAMED_PEOPLE}
    out: list[c.PersonSpec] = []
    for trust in c.MH_TRUSTS:
        rng = DemoContext.rng("staff", trust.slug)
        wanted = c.STAFF_AT_TRUST_A if trust is c.MH_TRUSTS[0] else c.STAFF_PER_TRUST
        named = sum(1 for p in c.NAMED_STAFF if p.org == trust.slug)
        roles = rng.sample(c.STAFF_ROLES, k=wanted - named)
        for profession, job_title in roles:
            name = ""
            while not name or name in used:
                name = f"{rng.choice(c.FIRST_NAMES)} {rng.choice(c.SURNAMES)}"
            used.add(name)
            since = dt.date(rng.randint(2010, 2024), rng.randint(1, 12), 1)
            out.append(c.PersonSpec(name, trust.slug, c.STAFF, job_title, profession, since))
    return out


def all_people() -> list[c.PersonSpec]:
    return [*c.NAMED_PEOPLE, *generated_staff()]


def build_people(ctx: DemoContext) -> None:
    """Each person, with their affiliation to their organisation in the role they hold there."""
    specs = all_people()
    for spec in specs:
        person, _ = ctx.ensure(
            Person,
            key={"email": spec.email},
            values={
                "full_name": spec.full_name,
                "job_title": spec.job_title,
                "profession": spec.profession,
                "lived_experience": spec.lived_experience,
                "is_staff": spec.is_staff,
                "is_active": True,
            },
            create_only={"password": ctx.password_hash},
        )
        ctx.remember(person)
        org = ctx.org(spec.org)
        theirs = Affiliation.objects.filter(person=person, organisation=org)
        ctx.ensure(
            Affiliation,
            key={"person": person, "organisation": org},
            values={"role": spec.role, "started_on": spec.since},
            # Without --refresh, an affiliation ended while trying the demo stays ended.
            match=theirs.filter(ended_on__isnull=True) if ctx.refresh else theirs,
        )
    if ctx.refresh:
        # Passwords are not in the audit history, so a bulk reset records nothing.
        Person.objects.filter(email__in=[s.email for s in specs]).update(password=ctx.password_hash)
