"""The coaching view: which teams have gone quiet, how the teams' scores are moving, and
where a team's view of its progress differs from the faculty's.

Who sees which projects (``collaborative.rules``): leads, faculty and national admins see
all the collaborative's projects; a programme manager sees those their organisation leads.

Definitions (shown on the page too):

* **Quiet.** Only projects under way (active or sustaining) are checked. A project is quiet
  when its *last activity* (:func:`qicollab.projects.selectors.last_activity`, the same
  date as the portfolio's "Last activity") is more than ``weeks`` weeks ago: the latest
  moment a data point, a PDSA cycle or a progress report was *recorded* on the platform
  (whatever period it is for). "Quiet since" is that date, or the project's start if it
  has recorded nothing; the quietest first. Each kind's own last date is shown beside it.
* **Monthly distribution.** For each month, each project rated that month counts once,
  with the faculty's rating when there are both (the platform-wide rule for a project's
  score). Median, and the share of those teams at 3.0 or more and at 4.0 or more; IHI's
  collaborative-level success measure is the share at 4.0 ("significant improvement").
* **Self-rating gap.** For months with both a team self-assessment and a faculty rating,
  faculty minus self: negative when the team rates itself higher than the faculty does.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from qicollab.collaborative.rules import coaching_org_ids
from qicollab.organisations.models import Collaborative
from qicollab.projects.models import ProgressReport, Project, RaterType, Status
from qicollab.projects.selectors import ACTIVITY_KINDS, with_last_activity

DEFAULT_WEEKS = 4
MIN_WEEKS, MAX_WEEKS = 1, 52
DEFAULT_MONTHS = 12
MIN_MONTHS, MAX_MONTHS = 12, 24
UNDER_WAY = (Status.ACTIVE, Status.SUSTAINING)

THREE = Decimal("3.0")
FOUR = Decimal("4.0")


def coaching_projects(*, viewer: Any, collaborative: Collaborative) -> QuerySet[Project]:
    """The projects this viewer coaches in the collaborative (none if they coach none)."""
    qs = Project.objects.filter(collaborative=collaborative)
    org_ids = coaching_org_ids(viewer, collaborative)
    if org_ids is not None:
        qs = qs.filter(lead_organisation_id__in=org_ids)
    return qs


class CoachingForm(forms.Form):
    """The page's two settings, from the query string (kept beside the selectors they feed:
    the page and the API read them through this one form)."""

    weeks = forms.IntegerField(
        label="Quiet for more than (weeks)",
        required=False,
        min_value=MIN_WEEKS,
        max_value=MAX_WEEKS,
        help_text=f"A whole number from {MIN_WEEKS} to {MAX_WEEKS}. Default {DEFAULT_WEEKS}.",
        error_messages={
            "invalid": f"Enter the number of weeks as a whole number, like {DEFAULT_WEEKS}.",
            "min_value": f"Enter at least {MIN_WEEKS} week.",
            "max_value": f"Enter {MAX_WEEKS} weeks or fewer (one year).",
        },
    )
    months = forms.IntegerField(
        label="Months of scores to show",
        required=False,
        min_value=MIN_MONTHS,
        max_value=MAX_MONTHS,
        help_text=f"From {MIN_MONTHS} to {MAX_MONTHS}. Default {DEFAULT_MONTHS}.",
        error_messages={
            "invalid": f"Enter the number of months as a whole number, like {DEFAULT_MONTHS}.",
            "min_value": f"Show at least {MIN_MONTHS} months.",
            "max_value": f"Show {MAX_MONTHS} months or fewer.",
        },
    )

    def settings(self) -> tuple[int, int]:
        """Weeks and months to use: the valid values given, else the defaults."""
        self.is_valid()  # keeps the valid fields in cleaned_data even if another is wrong
        data = self.cleaned_data
        return data.get("weeks") or DEFAULT_WEEKS, data.get("months") or DEFAULT_MONTHS


def own_organisations_only(*, viewer: Any, collaborative: Collaborative) -> bool:
    """True when the viewer coaches only their organisations' projects (a programme manager)."""
    return coaching_org_ids(viewer, collaborative) is not None


# --- quiet projects --------------------------------------------------------------------


@dataclass(frozen=True)
class Activity:
    kind: str  # data, pdsa, report
    label: str
    last: datetime | None
    stale: bool

    @property
    def last_date(self) -> date | None:
        return timezone.localdate(self.last) if self.last else None


@dataclass(frozen=True)
class QuietProject:
    pk: int
    slug: str
    title: str
    organisation: str
    status: str
    since: date  # start of the quiet: the last activity's date, or the project's start
    activities: list[Activity]
    last_activity: datetime | None = None  # the portfolio's "Last activity"; None: never

    @property
    def stale(self) -> list[Activity]:
        return [a for a in self.activities if a.stale]


KINDS = (
    ("data", "Data points"),
    ("pdsa", "PDSA cycles"),
    ("report", "Progress reports"),
)
_ANNOTATION = dict(zip((k for k, _ in KINDS), (a for a, _ in ACTIVITY_KINDS), strict=True))


def quiet_projects(
    *, projects: QuerySet[Project], weeks: int = DEFAULT_WEEKS, now: datetime | None = None
) -> list[QuietProject]:
    """Projects under way whose last activity is more than ``weeks`` weeks ago, or never.

    Last activity is :func:`qicollab.projects.selectors.last_activity`, the portfolio's
    definition: a project that recorded data or a score this week is not quiet, whatever
    else it has not recorded lately. "Since" is that date (or the project's start if it has
    recorded nothing). One query whatever the number of projects.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(weeks=weeks)
    # Each kind's newest record is read once per project, in the SELECT list only; the last
    # activity (the newest of the three, the same rule as
    # :func:`~qicollab.projects.selectors.last_activity`) and the quiet test are worked out
    # here. Filtering on the SQL expression made the database evaluate the three
    # subqueries again in the WHERE clause (issue 18: 1.2 s at national scale).
    rows = with_last_activity(projects.filter(status__in=UNDER_WAY), by_kind=True, total=False)
    out: list[QuietProject] = []
    for r in rows.order_by("title").values(
        "pk",
        "slug",
        "title",
        "status",
        "start_date",
        "created_at",
        "lead_organisation__name",
        *_ANNOTATION.values(),
    ):
        whens = [r[_ANNOTATION[kind]] for kind, _ in KINDS]
        last = max((w for w in whens if w is not None), default=None)
        if last is not None and last >= cutoff:
            continue
        started = r["start_date"] or timezone.localdate(r["created_at"])
        acts = [
            Activity(kind, label, when, when is None or when < cutoff)
            for (kind, label), when in zip(KINDS, whens, strict=True)
        ]
        out.append(
            QuietProject(
                r["pk"],
                r["slug"],
                r["title"],
                r["lead_organisation__name"],
                Status(r["status"]).label,
                timezone.localdate(last) if last else started,
                acts,
                last,
            )
        )
    out.sort(key=lambda q: (q.since, q.title))
    return out


# --- scores over time ------------------------------------------------------------------


def month_starts(*, months: int, today: date) -> list[date]:
    """The first days of the last ``months`` months, oldest first, ending with this month.

    >>> [m.isoformat() for m in month_starts(months=3, today=date(2026, 2, 14))]
    ['2025-12-01', '2026-01-01', '2026-02-01']
    """
    out = []
    y, m = today.year, today.month
    for _ in range(months):
        out.append(date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


@dataclass(frozen=True)
class MonthScores:
    month: date
    teams: int
    median: float | None
    pct_3: float | None  # % of the teams rated that month at 3.0 or more
    pct_4: float | None
    counts: dict[Decimal, int]  # score -> teams
    gaps: int  # teams with both ratings that month
    mean_gap: float | None  # mean of faculty minus self


@dataclass(frozen=True)
class RatingGap:
    slug: str
    title: str
    organisation: str
    month: date
    self_score: Decimal
    faculty_score: Decimal

    @property
    def gap(self) -> Decimal:
        return self.faculty_score - self.self_score


@dataclass(frozen=True)
class ScoreTrends:
    months: list[MonthScores]
    gaps: list[RatingGap]  # each project's latest month with both ratings, widest gap first


def score_trends(
    *, projects: QuerySet[Project], months: int = DEFAULT_MONTHS, today: date | None = None
) -> ScoreTrends:
    """The monthly distribution of the projects' scores and the self/faculty gaps (two
    queries whatever the number of projects or ratings)."""
    today = today or timezone.localdate()
    starts = month_starts(months=months, today=today)
    ratings: dict[tuple[int, date], dict[str, Decimal]] = defaultdict(dict)
    for pid, month, rater, score in ProgressReport.objects.filter(
        project__in=projects.values("pk"), month__gte=starts[0], month__lte=starts[-1]
    ).values_list("project_id", "month", "rater_type", "score"):
        ratings[(pid, month)][rater] = Decimal(score)

    by_month: dict[date, list[Decimal]] = defaultdict(list)
    gaps_by_month: dict[date, list[Decimal]] = defaultdict(list)
    latest_pair: dict[int, tuple[date, Decimal, Decimal]] = {}
    for (pid, month), r in ratings.items():
        by_month[month].append(r.get(RaterType.FACULTY, r.get(RaterType.SELF, Decimal(0))))
        if RaterType.FACULTY in r and RaterType.SELF in r:
            gaps_by_month[month].append(r[RaterType.FACULTY] - r[RaterType.SELF])
            if pid not in latest_pair or latest_pair[pid][0] < month:
                latest_pair[pid] = (month, r[RaterType.SELF], r[RaterType.FACULTY])

    rows = []
    for m in starts:
        scores = by_month.get(m, [])
        n = len(scores)
        g = gaps_by_month.get(m, [])
        counts: dict[Decimal, int] = defaultdict(int)
        for s in scores:
            counts[s] += 1
        rows.append(
            MonthScores(
                month=m,
                teams=n,
                median=float(statistics.median(scores)) if n else None,
                pct_3=100.0 * sum(1 for s in scores if s >= THREE) / n if n else None,
                pct_4=100.0 * sum(1 for s in scores if s >= FOUR) / n if n else None,
                counts=dict(sorted(counts.items())),
                gaps=len(g),
                mean_gap=float(sum(g) / len(g)) if g else None,
            )
        )
    names = {
        r["pk"]: r
        for r in projects.filter(pk__in=list(latest_pair)).values(
            "pk", "slug", "title", "lead_organisation__name"
        )
    }
    gaps = [
        RatingGap(
            names[pid]["slug"],
            names[pid]["title"],
            names[pid]["lead_organisation__name"],
            month,
            self_score,
            faculty,
        )
        for pid, (month, self_score, faculty) in latest_pair.items()
        if pid in names
    ]
    gaps.sort(key=lambda x: (-abs(x.gap), x.title))
    return ScoreTrends(rows, gaps)


# --- presenters ------------------------------------------------------------------------

SERIES = (("3.0 or more (modest improvement)", "#005EB8"), ("4.0 or more (significant)", "#007F3B"))


def pct_text(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}%"  # noqa: RUF001 - NHS "none" en dash


def score_text(value: float | Decimal | None) -> str:
    return "–" if value is None else f"{float(value):.1f}"  # noqa: RUF001


def gap_text(value: float | Decimal | None) -> str:
    if value is None:
        return "–"  # noqa: RUF001
    return "0.0" if round(float(value), 1) == 0 else f"{float(value):+.1f}"


def trend_summary(months: list[MonthScores]) -> str:
    """The chart's text alternative in one or two sentences."""
    rated = [m for m in months if m.teams]
    if not rated:
        return "No team has been rated in these months."
    last = rated[-1]
    text = (
        f"In {last.month:%B %Y}, {last.teams} team{'s' if last.teams != 1 else ''} "
        f"rated: median {score_text(last.median)}, {pct_text(last.pct_3)} at 3.0 or more, "
        f"{pct_text(last.pct_4)} at 4.0 or more."
    )
    if len(rated) > 1:
        first = rated[0]
        text += (
            f" In {first.month:%B %Y}: {pct_text(first.pct_3)} at 3.0 or more and "
            f"{pct_text(first.pct_4)} at 4.0 or more."
        )
    return text


def trend_spec(months: list[MonthScores], *, summary: str) -> dict[str, Any]:
    """A small Vega-Lite line chart of the shares of teams at 3.0+ and 4.0+, month by month."""
    values = [
        {"month": m.month.isoformat(), "series": name, "pct": round(pct, 1)}
        for m in months
        for (name, _), pct in zip(SERIES, (m.pct_3, m.pct_4), strict=True)
        if pct is not None
    ]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": summary,
        "title": {"text": "Teams at 3.0 or more and at 4.0 or more", "anchor": "start"},
        "width": 560,
        "height": 220,
        "config": {
            "font": "Frutiger W01, Arial, sans-serif",
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "gridColor": "#E8EDEE"},
            "legend": {"labelFontSize": 12, "orient": "bottom", "title": None},
            "view": {"stroke": None},
        },
        "data": {"values": values},
        "mark": {"type": "line", "point": True, "strokeWidth": 2},
        "encoding": {
            "x": {
                "field": "month",
                "type": "temporal",
                "timeUnit": "yearmonth",
                "title": None,
                "axis": {"format": "%b %Y", "labelAngle": -45},
            },
            "y": {
                "field": "pct",
                "type": "quantitative",
                "title": "% of teams rated that month",
                "scale": {"domain": [0, 100]},
            },
            "color": {
                "field": "series",
                "type": "nominal",
                "scale": {"domain": [n for n, _ in SERIES], "range": [c for _, c in SERIES]},
            },
            "strokeDash": {
                "field": "series",
                "type": "nominal",
                "scale": {"domain": [n for n, _ in SERIES], "range": [[1, 0], [6, 3]]},
                "legend": None,
            },
        },
    }


@dataclass(frozen=True)
class TrendChart:
    svg_data_uri: str | None
    summary: str


def trend_chart(months: list[MonthScores], *, render: bool = True) -> TrendChart:
    """The chart drawn on the server (no script needed, works under the strict CSP)."""
    summary = trend_summary(months)
    if not any(m.teams for m in months) or not render:
        return TrendChart(None, summary)
    from qicollab.measures import rendering

    return TrendChart(rendering.svg_data_uri(trend_spec(months, summary=summary)), summary)
