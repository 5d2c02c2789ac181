"""Demo steps: leads and faculty, workstreams, and cross-cutting themes with their principles."""

from __future__ import annotations

from qicollab.collaborative.models import Theme, ThemePrinciple, Workstream
from qicollab.demo import content as c
from qicollab.demo.context import DemoContext
from qicollab.organisations.models import CollaborativeRole


def _email(full_name: str) -> str:
    return next(p.email for p in c.NAMED_PEOPLE if p.full_name == full_name)


def build_roles(ctx: DemoContext) -> None:
    """The mental-health collaborative's leads and faculty, and each regional PSC's lead."""
    assignments = [(c.MH_COLLABORATIVE.slug, r) for r in c.MH_ROLES]
    assignments += list(c.OTHER_PSC_ROLES.items())
    for slug, role in assignments:
        ctx.ensure(
            CollaborativeRole,
            key={
                "person": ctx.person(_email(role.person)),
                "collaborative": ctx.collaborative(slug),
                "role": role.role,
            },
            values={"title": role.title},
        )


def build_workstreams(ctx: DemoContext) -> None:
    """Medication; physical health; safe and reliable care; leadership."""
    collab = ctx.collaborative(c.MH_COLLABORATIVE.slug)
    for order, spec in enumerate(c.WORKSTREAMS, start=1):
        workstream, created = ctx.ensure(
            Workstream,
            key={"collaborative": collab, "slug": spec.slug},
            values={
                "name": spec.name,
                "subtitle": spec.subtitle,
                "description": spec.description,
                "goal_statement": spec.goal_statement,
                "order": order,
            },
        )
        leads = [ctx.person(_email(name)) for name in spec.leads]
        ctx.ensure_m2m(workstream, "leads", leads, created=created)


def build_themes(ctx: DemoContext) -> None:
    """The two cross-cutting themes and the principles projects evidence against them."""
    collab = ctx.collaborative(c.MH_COLLABORATIVE.slug)
    for order, spec in enumerate(c.THEMES, start=1):
        theme, _ = ctx.ensure(
            Theme,
            key={"collaborative": collab, "slug": spec.slug},
            values={"name": spec.name, "description": spec.description, "order": order},
        )
        for p_order, text in enumerate(spec.principles, start=1):
            ctx.ensure(
                ThemePrinciple, key={"theme": theme, "text": text}, values={"order": p_order}
            )
