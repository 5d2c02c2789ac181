"""What a team should hear about its measures: new signals, data due, the main chart's state.

Used by the scheduled jobs that notify (``measures/jobs.py``) and by the My work page.
Signals are found where every chart finds them: the engine's result through
:mod:`qicollab.measures.spc_adapter` (one ``spc.batch`` call for many measures).

* **Data due**: a measure of an active (or sustaining) project has no value for its last
  complete period (the one before the period containing today). It is **overdue** once
  that period ended more than :data:`GRACE_DAYS` days ago.
* **A new signal**: the measure's latest value belongs to a special-cause run (shift, trend,
  outside the limits, two of three close to a limit). One notification per run: the run is
  named by its measure, first period, class and side, so later points of the same run do
  not notify again.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from qicollab.accounts.models import Person
from qicollab.measures import spc_adapter
from qicollab.measures.models import DataPoint, Measure
from qicollab.measures.periods import add_periods, period_end, period_label, snap
from qicollab.notifications.services import notify
from qicollab.projects.models import Project, ProjectMember, Status, TeamRole

#: Days after a period ends before its missing data counts as overdue.
GRACE_DAYS = 14
#: Projects whose measures are expected to have data every period.
LIVE_STATUSES = (Status.ACTIVE, Status.SUSTAINING)
#: How far back the signal job looks for measures with new or changed data.
SIGNAL_LOOKBACK = dt.timedelta(days=2)

RULE_WORDS = {
    "shift": "a shift",
    "trend": "a trend",
    "outside_limits": "a point outside the limits",
    "two_of_three": "two of three points close to a limit",
}


@dataclass(frozen=True)
class DueItem:
    measure: Measure
    period: dt.date
    overdue: bool

    @property
    def period_text(self) -> str:
        return period_label(self.period, self.measure.frequency)

    @property
    def text(self) -> str:
        state = "overdue" if self.overdue else "due"
        return f"{self.measure.name}: data for {self.period_text} is {state}"


def last_complete_period(measure: Measure, today: dt.date) -> dt.date:
    """The period before the one containing ``today``.

    >>> m = Measure(frequency="monthly")
    >>> last_complete_period(m, dt.date(2026, 12, 7))
    datetime.date(2026, 11, 1)
    """
    return add_periods(snap(today, measure.frequency, measure.week_start), measure.frequency, -1)


def data_due(measures: Sequence[Measure], *, today: dt.date) -> list[DueItem]:
    """The measures (already of live projects) missing their last complete period (one query)."""
    if not measures:
        return []
    latest = dict(
        DataPoint.objects.filter(measure__in=[m.pk for m in measures])
        .values("measure_id")
        .annotate(last=Max("period"))
        .values_list("measure_id", "last")
    )
    out = []
    for m in measures:
        period = last_complete_period(m, today)
        last = latest.get(m.pk)
        if last is not None and last >= period:
            continue
        overdue = (today - period_end(period, m.frequency)).days > GRACE_DAYS
        out.append(DueItem(m, period, overdue))
    return out


def live_measures(*, project_ids: Iterable[int] | None = None) -> list[Measure]:
    """Measures of live projects (all of them, or of ``project_ids``), with their project."""
    qs = Measure.objects.filter(project__status__in=LIVE_STATUSES).select_related("project")
    if project_ids is not None:
        qs = qs.filter(project_id__in=list(project_ids))
    return list(qs.order_by("project_id", "order", "pk"))


# --- the main chart's state --------------------------------------------------------------


@dataclass(frozen=True)
class ChartState:
    """The main outcome measure's state in words, for a list of projects."""

    measure: Measure | None
    label: str
    tag: str
    explanation: str

    @property
    def url(self) -> str:
        return self.measure.get_absolute_url() if self.measure is not None else ""


_STATES = {
    "improvement": (
        "Improving",
        "nhsuk-tag--blue",
        "The latest value is part of a signal of improvement.",
    ),
    "concern": (
        "Concerning",
        "nhsuk-tag--orange",
        "The latest value is part of a signal in the wrong direction.",
    ),
    "neutral": (
        "Changed",
        "nhsuk-tag--purple",
        "The latest value is part of a signal (no direction set).",
    ),
    "common": ("No signal", "nhsuk-tag--grey", "Only common-cause variation in the latest values."),
}


def main_chart_states(projects: Sequence[Project]) -> dict[int, ChartState]:
    """Project id -> its main outcome chart's state: three queries and one ``spc.batch``
    call however many projects."""
    by_id = {p.pk: p for p in projects}
    if not by_id:
        return {}
    measures = list(Measure.objects.filter(project_id__in=list(by_id), is_main_outcome=True))
    for m in measures:
        m.project = by_id[m.project_id]  # the chart's link needs the slug: no query per row
    results = spc_adapter.measure_results(measures)
    out: dict[int, ChartState] = {}
    for m in measures:
        res = results[m.pk]
        if res.result is None:
            out[m.project_id] = ChartState(m, "Not enough data", "nhsuk-tag--white", res.problem)
            continue
        kind = res.result.variation_icon.split("_")[0]
        label, tag, text = _STATES.get(kind, _STATES["common"])
        out[m.project_id] = ChartState(m, label, tag, text)
    for pk in by_id:
        out.setdefault(
            pk,
            ChartState(
                None, "No main measure", "nhsuk-tag--white", "Choose a main outcome measure."
            ),
        )
    return out


# --- new signals -------------------------------------------------------------------------


@dataclass(frozen=True)
class NewSignal:
    measure: Measure
    start: dt.date
    point_class: str
    side: str
    rules: tuple[str, ...]
    count: int

    @property
    def key(self) -> str:
        return f"signal:{self.measure.pk}:{self.start.isoformat()}:{self.point_class}:{self.side}"

    @property
    def text(self) -> str:
        what = " and ".join(RULE_WORDS.get(r, r) for r in self.rules) or "a signal"
        where = "above" if self.side == "high" else "below"
        kind = {"improvement": "improvement", "concern": "concern"}.get(
            self.point_class, "no direction set"
        )
        since = period_label(self.start, self.measure.frequency)
        return (
            f"New signal on {self.measure.name} ({self.measure.project.title}): {what}, "
            f"{where} the centre line since {since} ({kind})"
        )


def _day(label: object) -> dt.date:
    return label if isinstance(label, dt.date) else dt.date.fromisoformat(str(label))


def new_signals(measures: Sequence[Measure]) -> list[NewSignal]:
    """The runs that include each measure's latest value (one ``spc.batch`` call)."""
    results = spc_adapter.measure_results(measures)
    out: list[NewSignal] = []
    for m in measures:
        res = results[m.pk]
        if res.result is None:
            continue
        labels = res.result.labels()
        with_value = [i for i, v in enumerate(res.series.y) if v is not None]
        if not with_value:
            continue
        last = with_value[-1]
        out.extend(
            NewSignal(m, _day(labels[r.first]), r.point_class, r.side, r.rules, r.count)
            for r in spc_adapter.signal_runs(res.result)
            if r.first <= last <= r.last
        )
    return out


def _teams(project_ids: Iterable[int]) -> dict[int, list[object]]:
    """Project id -> its team who hear of its charts (everyone but sponsors), one query."""
    team: dict[int, list[object]] = defaultdict(list)
    for pm in (
        ProjectMember.objects.filter(project_id__in=list(project_ids))
        .exclude(role=TeamRole.SPONSOR)
        .select_related("person")
    ):
        team[pm.project_id].append(pm.person)
    return team


def _leads(project_ids: Iterable[int]) -> dict[int, list[object]]:
    leads: dict[int, list[object]] = defaultdict(list)
    for pm in ProjectMember.objects.filter(
        project_id__in=list(project_ids), role=TeamRole.LEAD
    ).select_related("person"):
        leads[pm.project_id].append(pm.person)
    return leads


def signals_notify(*, now: dt.datetime | None = None) -> int:
    """Notify each team of new signals on measures whose data changed lately; returns how
    many signals were announced (each run once: running again repeats nothing)."""
    now = now or timezone.now()
    changed = (
        DataPoint.objects.filter(updated_at__gte=now - SIGNAL_LOOKBACK)
        .values("measure_id")
        .distinct()
    )
    measures = list(
        Measure.objects.filter(pk__in=changed, project__status__in=LIVE_STATUSES).select_related(
            "project"
        )
    )
    found = new_signals(measures)
    teams = _teams({s.measure.project_id for s in found})
    told = 0
    for s in found:
        made = notify(
            recipients=teams.get(s.measure.project_id, []),  # type: ignore[arg-type]
            kind="measures.signal",
            actor=None,
            target=s.measure,
            text=s.text,
            dedupe_key=s.key,
        )
        told += bool(made)
    return told


def data_due_notify(*, today: dt.date | None = None) -> int:
    """Tell each live measure's owner (else the project's leads) of data due, then overdue;
    returns notifications made (each measure and period at most twice: due, overdue)."""
    today = today or timezone.localdate()
    measures = live_measures()
    due = data_due(measures, today=today)
    leads = _leads({d.measure.project_id for d in due})
    owners = Person.objects.in_bulk(list({d.measure.owner_id for d in due if d.measure.owner_id}))
    made = 0
    for d in due:
        owner = owners.get(d.measure.owner_id) if d.measure.owner_id else None
        recipients: list[object] = (
            [owner] if owner is not None and owner.is_active else leads[d.measure.project_id]
        )
        state = "overdue" if d.overdue else "due"
        made += len(
            notify(
                recipients=recipients,  # type: ignore[arg-type]
                kind="measures.data_due",
                actor=None,
                target=d.measure,
                url=reverse("measures:data_grid", args=[d.measure.project.slug, d.measure.pk]),
                text=f"{d.text} ({d.measure.project.title})",
                dedupe_key=f"{state}:{d.measure.pk}:{d.period.isoformat()}",
            )
        )
    return made


# --- evidence for the suggested progress score --------------------------------------------


@dataclass(frozen=True)
class OutcomeEvidence:
    measures: int = 0
    measure_with_target: bool = False
    baseline_values: int = 0
    improvement_signal: bool = False
    halfway: bool | None = None
    sustained_values: int = 0


def outcome_evidence(
    project: Project, *, aim_baseline: float | None, aim_target: float | None
) -> OutcomeEvidence:
    """What the project's measures say for its progress score (three to five queries).

    The main outcome measure (else the first outcome measure) is charted as its own page
    charts it; the target is the measure's (else the aim's), in the chart's units.
    """
    measures = list(Measure.objects.filter(project=project).order_by("order", "pk"))
    if not measures:
        return OutcomeEvidence()
    with_target = any(m.target is not None for m in measures)
    main = next((m for m in measures if m.is_main_outcome), None) or next(
        (m for m in measures if m.measure_type == "outcome"), None
    )
    if main is None:
        return OutcomeEvidence(len(measures), with_target)
    res = spc_adapter.measure_results([main])[main.pk]
    scale = spc_adapter.display_scale(main)
    values = [v * scale for v in res.series.y if v is not None]
    improvement = res.result is not None and any(
        r.point_class == "improvement" for r in spc_adapter.signal_runs(res.result)
    )
    target = main.target if main.target is not None else aim_target
    direction = main.direction
    if target is None or direction == "neutral" or not values:
        return OutcomeEvidence(len(measures), with_target, len(values), improvement)

    def at_target(v: float) -> bool:
        return v >= target if direction == "increase" else v <= target

    sustained = 0
    for v in reversed(values):
        if not at_target(v):
            break
        sustained += 1
    first = values[: min(len(values), 6)]
    baseline = aim_baseline if aim_baseline is not None else sum(first) / len(first)
    halfway: bool | None = None
    if baseline != target:
        recent = values[-3:]
        now = sum(recent) / len(recent)
        halfway = (now - baseline) / (target - baseline) >= 0.5
    return OutcomeEvidence(len(measures), with_target, len(values), improvement, halfway, sustained)
