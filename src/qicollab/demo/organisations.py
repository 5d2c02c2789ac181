"""Demo steps: organisations, the national programme, collaboratives and their members."""

from __future__ import annotations

from qicollab.accounts.models import Person
from qicollab.demo import content as c
from qicollab.demo.context import DemoContext
from qicollab.organisations.models import (
    Collaborative,
    CollaborativeMembership,
    NationalProgramme,
    Organisation,
)


def build_organisations(ctx: DemoContext) -> None:
    """The national body, the AHSNs, the 12 mental-health trusts and the other PSCs' members."""
    for spec in c.ORGANISATIONS:
        org, _ = ctx.ensure(
            Organisation,
            key={"slug": spec.slug},
            values={
                "name": spec.name,
                "short_name": spec.short_name,
                "org_type": spec.org_type,
                "region": spec.region,
                "ods_code": spec.ods_code,
                "description": spec.description,
            },
        )
        ctx.remember(org)


def build_programme(ctx: DemoContext) -> None:
    """The national PSC programme, administered by the national body's two admins."""
    programme, created = ctx.ensure(
        NationalProgramme,
        key={"slug": c.PROGRAMME_SLUG},
        values={"name": c.PROGRAMME_NAME, "description": c.PROGRAMME_DESCRIPTION},
    )
    admins = [ctx.person(p.email) for p in c.NATIONAL_ADMINS]
    ctx.ensure_m2m(programme, "admins", admins, created=created)


def build_collaboratives(ctx: DemoContext) -> None:
    """The mental-health collaborative and four regional PSCs, all in the national programme."""
    programme = NationalProgramme.objects.get(slug=c.PROGRAMME_SLUG)
    for spec in c.COLLABORATIVES:
        collab, created = ctx.ensure(
            Collaborative,
            key={"slug": spec.slug},
            values={
                "name": spec.name,
                "short_name": spec.short_name,
                "kind": spec.kind,
                "programme": programme,
                "lead_organisation": ctx.org(spec.lead_organisation),
                "region": spec.region,
                "purpose": spec.purpose,
                "started_on": spec.started_on,
                "is_public": spec.is_public,
            },
        )
        ctx.remember(collab)
        ctx.ensure_m2m(collab, "sponsors", [ctx.org(s) for s in spec.sponsors], created=created)


def build_memberships(ctx: DemoContext) -> None:
    """Member organisations with their joining dates and programme managers.

    Without ``--refresh`` an organisation that has any membership of the collaborative is
    left alone, so a membership ended or restarted while trying the demo stays that way.
    """
    for spec in c.COLLABORATIVES:
        collab = ctx.collaborative(spec.slug)
        for m in spec.members:
            org = ctx.org(m.org)
            pm: Person | None = None
            if m.programme_manager:
                pm = ctx.person(c.email_for(m.programme_manager, m.org))
            ctx.ensure(
                CollaborativeMembership,
                key={"collaborative": collab, "organisation": org, "joined_on": m.joined_on},
                values={"programme_manager": pm, "left_on": m.left_on},
                match=None
                if ctx.refresh
                else CollaborativeMembership.objects.filter(collaborative=collab, organisation=org),
            )
