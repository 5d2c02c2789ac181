"""Demo step: Learning from Excellence at the demo's member organisations.

Each organisation gets a few departments (units), an LfE lead, themes, and reports over the
last year with recipients (some answered: kept, manager told, shared). One theme became a
QI project through the projects app's own service, and one appreciative inquiry is recorded.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from qicollab.demo.context import DemoContext
from qicollab.demo.loaders import read_json
from qicollab.excellence.models import (
    Acknowledgement,
    AppreciativeInquiry,
    ExcellenceReport,
    LfeLead,
    Recipient,
    Theme,
    WorkKind,
)
from qicollab.organisations.models import (
    Affiliation,
    Collaborative,
    CollaborativeMembership,
    Organisation,
    Unit,
    UnitKind,
)


def _staff(org_id: int) -> list[Any]:
    rows = (
        Affiliation.objects.filter(
            organisation_id=org_id, ended_on__isnull=True, role__in=["staff", "programme_manager"]
        )
        .order_by("person__email")
        .select_related("person")
    )
    return [a.person for a in rows]


def build_excellence(ctx: DemoContext) -> None:
    """Idempotent: rows are found by natural keys (organisation + slug, report text)."""
    data = read_json("excellence.json")
    collabs = (
        Collaborative.objects.filter(programme__isnull=False)
        .exclude(slug__startswith="nat-")
        .order_by("slug")
    )
    project_made = False
    for collab in collabs:
        members = (
            CollaborativeMembership.objects.current()
            .filter(collaborative=collab)
            .order_by("organisation__slug")
            .values_list("organisation_id", flat=True)
        )
        for org_id in members:
            org = Organisation.objects.get(pk=org_id)
            staff = _staff(org_id)
            if len(staff) < 3:
                continue
            made = _organisation(ctx, data, org, staff)
            if not project_made and made is not None:
                project_made = _project(ctx, data, collab, org, made)


def _organisation(ctx: DemoContext, data: Any, org: Organisation, staff: list[Any]) -> Any:
    rng = ctx.rng("excellence", org.slug)
    units = [
        ctx.ensure(
            Unit,
            key={"organisation": org, "slug": slugify(name)},
            values={"name": name, "kind": UnitKind.DEPARTMENT},
            create_only={"opened_on": ctx.today - timedelta(days=3 * 365)},
        )[0]
        for name in data["units"]
    ]
    lead_person = staff[0]
    ctx.ensure(
        LfeLead,
        key={"organisation": org, "person": lead_person},
        values={"title": "Director of Nursing"},
    )
    themes = {
        name: ctx.ensure(
            Theme, key={"organisation": org, "slug": slugify(name)}, values={"name": name}
        )[0]
        for name in data["themes"]
    }
    first_report = None
    for i, spec in enumerate(data["reports"]):
        reporter, recipient = rng.sample(staff, 2)
        report, created = ctx.ensure(
            ExcellenceReport,
            key={"organisation": org, "what_they_did": spec["what"]},
            values={
                "why_excellent": spec["why"],
                "learning": spec["learning"],
                "work_kind": WorkKind.CLINICAL if spec["clinical"] else WorkKind.NON_CLINICAL,
                "unit": units[i % len(units)],
                "anonymous": i % 3 == 0,
            },
            create_only={
                "reporter": reporter,
                "happened_on": ctx.today - timedelta(days=15 + 40 * i + rng.randint(0, 20)),
            },
        )
        ctx.ensure_m2m(report, "themes", [themes[spec["theme"]]], created=created)
        answered = i % 2 == 0
        if created:
            ctx.ensure(
                Recipient,
                key={"report": report, "person": recipient},
                values={
                    "keep": True,
                    "share_wider": answered,
                    "answered_at": timezone.now() if answered else None,
                },
            )
        if i == 0:
            first_report = report
            ctx.ensure(
                Acknowledgement,
                key={"report": report, "person": lead_person},
                values={"title": "Director of Nursing", "message": data["acknowledgement"]},
            )
    inquiry = data["inquiry"]
    ctx.ensure(
        AppreciativeInquiry,
        key={"organisation": org, "went_well": inquiry["went_well"]},
        values={
            "attendees": inquiry["attendees"],
            "every_time": inquiry["every_time"],
            "notes": inquiry["notes"],
            "theme": themes[data["project_theme"]],
            "report": first_report,
        },
        create_only={"held_on": ctx.today - timedelta(days=10), "created_by": lead_person},
    )
    return themes[data["project_theme"]]


def _project(
    ctx: DemoContext, data: Any, collab: Collaborative, org: Organisation, theme: Theme
) -> bool:
    """The theme that became a QI project, made by the projects app's service."""
    from qicollab.excellence.services import theme_start_project

    if theme.project_id is not None:
        ctx.counted(created=False, changed=False)
        return True
    lead = LfeLead.objects.filter(organisation=org).select_related("person").first()
    if lead is None:
        return False
    theme_start_project(
        actor=lead.person, theme=theme, collaborative=collab, title=data["project_title"]
    )
    ctx.counted(created=True, changed=False)
    return True
