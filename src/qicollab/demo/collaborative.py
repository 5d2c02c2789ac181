"""Demo step: the mental-health collaborative's programme goals, measured by the platform.

Dates follow the demo's "today", so the goals always have two years of history behind them
and a deadline ahead. Idempotent: goals are found by collaborative and slug.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from qicollab.collaborative.models import GoalDirection, Period, ProgrammeGoal, Workstream
from qicollab.demo import content as c
from qicollab.demo.context import CHANGE_REASON, DemoContext


def _next_march(today: date) -> date:
    """The next 31 March at least four months away (2027 for a demo run in late 2026)."""
    march = date(today.year if today.month <= 3 else today.year + 1, 3, 31)
    return march if (march - today).days >= 120 else march.replace(year=march.year + 1)


def build_goals(ctx: DemoContext) -> None:
    collab = ctx.collaborative(c.MH_COLLABORATIVE.slug)
    today = ctx.today
    two_years_ago = date(today.year - 2, 3 * ((today.month - 1) // 3) + 1, 1)
    one_year_ago = date(today.year - 1, 3 * ((today.month - 1) // 3) + 1, 1)
    deadline = _next_march(today)
    by = deadline.strftime("%B %Y")
    ws = {w.slug: w for w in Workstream.objects.filter(collaborative=collab)}
    specs = [
        {
            "slug": "share-learning-from-deaths",
            "statement": "100% of member organisations will share the learning around deaths "
            "in mental health",
            "metric_key": "deaths_sharing_pct",
            "metric_params": {},
            "baseline_date": two_years_ago,
            "target_value": Decimal("100"),
            "unit": "%",
            "workstream": ws.get("safe-and-reliable-care"),
        },
        {
            "slug": "learn-live-lead",
            "statement": "Increase the number of members who Learn, Live or Lead QI by 30% "
            f"by {by}",
            "metric_key": "capability_change_pct",
            "metric_params": {},
            "baseline_date": one_year_ago,
            "target_value": Decimal("30"),
            "unit": "%",
            "workstream": ws.get("leadership"),
        },
        {
            "slug": "projects-at-3-5",
            "statement": f"60% of projects at 3.5 or more on the assessment scale by {by}",
            "metric_key": "projects_at_score_pct",
            "metric_params": {"threshold": 3.5},
            "baseline_date": one_year_ago,
            "target_value": Decimal("60"),
            "unit": "%",
            "workstream": None,
        },
    ]
    for order, spec in enumerate(specs, start=1):
        slug = spec.pop("slug")
        # Sharing the learning is judged per financial year (as the deaths figures are).
        period = Period.YEAR if slug == "share-learning-from-deaths" else Period.QUARTER
        ctx.ensure(
            ProgrammeGoal,
            key={"collaborative": collab, "slug": slug},
            values={
                **spec,
                "period": period,
                "deadline": deadline,
                "direction": GoalDirection.INCREASE,
                "order": order,
            },
        )


def build_coaching(ctx: DemoContext) -> None:
    """A sponsor for the mental-health collaborative, and recorded-on dates that match the
    demo's story, so the dashboard and the coaching view have something to show.

    The projects and measures steps create months of history in one go, so every row looks
    recorded today. Here each data point is dated a few days after its period, each progress
    report a few days after its month, each PDSA cycle after its last real date; a few teams
    have gone quiet. Deterministic, so re-runs write the same values and create nothing.
    """
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from qicollab.measures.models import DataPoint
    from qicollab.organisations.models import CollaborativeRole
    from qicollab.projects.models import PdsaCycle, ProgressReport, Project, Status

    collab = ctx.collaborative(c.MH_COLLABORATIVE.slug)
    sponsor = next(p for p in c.NAMED_PEOPLE if p.full_name == "Beatrix Wrenfield")
    ctx.ensure(
        CollaborativeRole,
        key={"person": ctx.person(sponsor.email), "collaborative": collab, "role": "sponsor"},
        values={"title": "Lay sponsor, public governor"},
    )

    now = timezone.now()

    def at(day: date, days_after: int) -> datetime:
        when = timezone.make_aware(datetime.combine(day + timedelta(days=days_after), time(10)))
        return min(when, now)

    projects = list(Project.objects.filter(collaborative=collab).order_by("slug"))
    # Every fourth project under way has been quiet for two months: nothing recorded since
    # then. (Stopped and completed projects fall silent on their own: their records end
    # with the project.)
    under_way = [p for p in projects if p.status in (Status.ACTIVE, Status.SUSTAINING)]
    quiet = {p.pk for i, p in enumerate(under_way) if i % 4 == 1}
    cutoff = now - timedelta(days=60)

    def dated(pid: int, when: datetime) -> datetime:
        return min(when, cutoff) if pid in quiet else when

    def demo_rows(model: Any) -> Any:
        # Only rows the demo made and nobody has changed since: what people add or edit
        # while trying the demo keeps its real dates.
        made = model.history.filter(history_type="+", history_change_reason=CHANGE_REASON)
        touched = model.history.exclude(history_change_reason=CHANGE_REASON)
        return model.objects.filter(pk__in=made.values("id")).exclude(pk__in=touched.values("id"))

    points = list(
        demo_rows(DataPoint).filter(measure__project__in=projects).select_related("measure")
    )
    for dp in points:
        dp.created_at = dated(dp.measure.project_id, at(dp.period, 9))
    DataPoint.objects.bulk_update(points, ["created_at"], batch_size=500)
    reports = list(demo_rows(ProgressReport).filter(project__in=projects))
    for r in reports:
        r.created_at = dated(r.project_id, at(r.month, 35))
    ProgressReport.objects.bulk_update(reports, ["created_at"], batch_size=500)
    cycles = list(demo_rows(PdsaCycle).filter(project__in=projects))
    for cy in cycles:
        # Recorded when it was planned (the "last activity" counts when a cycle was added),
        # last updated after its last real date.
        first = cy.planned_start or cy.actual_start or cy.actual_end
        last = cy.actual_end or cy.actual_start or cy.planned_start
        if first is not None:
            cy.created_at = dated(cy.project_id, at(first, -3))
        if last is not None:
            cy.updated_at = max(dated(cy.project_id, at(last, 2)), cy.created_at)
    # ``update()`` keeps the dates as set here (``save`` would stamp ``updated_at`` now).
    for cy in cycles:
        PdsaCycle.objects.filter(pk=cy.pk).update(
            created_at=cy.created_at, updated_at=cy.updated_at
        )
