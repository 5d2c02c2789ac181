"""Demo step: the mental-health collaborative's programme goals, measured by the platform.

Dates follow the demo's "today", so the goals always have two years of history behind them
and a deadline ahead. Idempotent: goals are found by collaborative and slug.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from qicollab.collaborative.models import GoalDirection, Period, ProgrammeGoal, Workstream
from qicollab.core.demo import content as c
from qicollab.core.demo.context import DemoContext


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
