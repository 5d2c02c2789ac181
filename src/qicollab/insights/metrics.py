"""The metric registry: programme goals measured from the platform's own data.

Each metric is a small function ``(collaborative, period_start, period_end, params) ->
MetricValue`` registered under a key; a :class:`~qicollab.collaborative.models.ProgrammeGoal`
names its metric by that key. Periods are inclusive local dates.

Honesty rule (issue 5): a metric reads only real rows. Where the data it needs is not yet
recorded anywhere in the platform, the metric queries nothing
and returns zero with ``detail="no data source yet"`` — never an estimate.

Adding a metric: write the function, decorate it with ``@metric("key", "Label", unit=...)``
and add a test that checks it against a hand count.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, Q, Subquery

from qicollab.organisations.models import (
    Affiliation,
    AffiliationRole,
    Collaborative,
    CollaborativeMembership,
    Organisation,
    OrganisationType,
)

NO_DATA_SOURCE = "no data source yet"

Params = Mapping[str, Any]


@dataclass(frozen=True)
class MetricValue:
    """One period's value. For a percentage, ``value = 100 * numerator / denominator``."""

    value: float
    numerator: float | None = None
    denominator: float | None = None
    detail: str = ""


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    compute: Callable[[Collaborative, date, date, Params], MetricValue]
    description: str = ""
    # Parameter name -> allowed values (empty: any value of the default's type).
    params: Mapping[str, Any] = field(default_factory=dict)


REGISTRY: dict[str, Metric] = {}


class UnknownMetric(KeyError):
    pass


def metric(
    key: str, label: str, *, unit: str = "", params: Mapping[str, Any] | None = None
) -> Callable[
    [Callable[[Collaborative, date, date, Params], MetricValue]],
    Callable[[Collaborative, date, date, Params], MetricValue],
]:
    """Register a metric function under ``key``."""

    def register(
        fn: Callable[[Collaborative, date, date, Params], MetricValue],
    ) -> Callable[[Collaborative, date, date, Params], MetricValue]:
        REGISTRY[key] = Metric(key, label, unit, fn, plain_description(fn.__doc__), params or {})
        return fn

    return register


_RST_ROLE = re.compile(r":[a-z]+:`~?([^`]*)`")
_RST_LITERAL = re.compile(r"``([^`]*)``")


def plain_description(docstring: str | None) -> str:
    r"""The docstring's first paragraph as plain text for pages: people read it under
    "Measured by", so reST markup (``code``, :func:`name`) and line breaks go.

    >>> plain_description('Share of ``params["x"]``\n   in the period.\n\nMore.')
    'Share of params["x"] in the period.'
    """
    first = (docstring or "").strip().split("\n\n")[0]
    text = _RST_LITERAL.sub(r"\1", _RST_ROLE.sub(r"\1", first))
    return " ".join(text.split())


def get(key: str) -> Metric:
    try:
        return REGISTRY[key]
    except KeyError:
        raise UnknownMetric(key) from None


def choices() -> list[tuple[str, str]]:
    return [(m.key, m.label) for m in REGISTRY.values()]


def _pct(numerator: int, denominator: int, detail: str = "") -> MetricValue:
    if not denominator:
        return MetricValue(0.0, numerator, denominator, detail or "nothing to count in this period")
    return MetricValue(100.0 * numerator / denominator, numerator, denominator, detail)


# --- learning from deaths --------------------------------------------------------------


@metric("deaths_sharing_pct", "Member organisations sharing learning from deaths", unit="%")
def deaths_sharing_pct(
    collaborative: Collaborative, start: date, end: date, params: Params
) -> MetricValue:
    """Percentage of member organisations (members at any time in the period) that shared at
    least one approved learning-from-deaths summary with the collaborative in the period."""
    from qicollab.deaths.selectors import members_during, organisations_sharing

    members = members_during(collaborative=collaborative, start=start, end=end).count()
    sharing = organisations_sharing(collaborative=collaborative, start=start, end=end).count()
    return _pct(sharing, members)


# --- projects --------------------------------------------------------------------------


@metric("projects_started", "QI projects started", unit="projects")
def projects_started(
    collaborative: Collaborative, start: date, end: date, params: Params
) -> MetricValue:
    """Projects in the collaborative whose start date falls in the period."""
    from qicollab.projects.models import Project

    n = Project.objects.filter(
        collaborative=collaborative, start_date__gte=start, start_date__lte=end
    ).count()
    return MetricValue(float(n), n)


@metric("projects_completed", "QI projects completed", unit="projects")
def projects_completed(
    collaborative: Collaborative, start: date, end: date, params: Params
) -> MetricValue:
    """Projects in the collaborative marked completed whose end date falls in the period."""
    from qicollab.projects.models import Project, Status

    n = Project.objects.filter(
        collaborative=collaborative, status=Status.COMPLETED, end_date__gte=start, end_date__lte=end
    ).count()
    return MetricValue(float(n), n)


@metric(
    "projects_at_score_pct",
    "Projects at or above a score on the assessment scale",
    unit="%",
    params={"threshold": 3.5},
)
def projects_at_score_pct(
    collaborative: Collaborative, start: date, end: date, params: Params
) -> MetricValue:
    """Percentage of the collaborative's scored projects whose latest score by the end of the
    period is at or above ``threshold`` (default 3.5).

    The latest score is the newest month's; in a month with both a faculty and a self rating,
    the faculty's (as on the project list). Projects never scored by then are not counted.
    """
    from qicollab.projects.models import ProgressReport, Project

    threshold = Decimal(str(params.get("threshold", 3.5)))
    latest = Subquery(
        ProgressReport.objects.filter(project=OuterRef("pk"), month__lte=end)
        .order_by("-month", "rater_type")
        .values("score")[:1]
    )
    scores = list(
        Project.objects.filter(collaborative=collaborative)
        .annotate(latest=latest)
        .filter(latest__isnull=False)
        .values_list("latest", flat=True)
    )
    at = sum(1 for s in scores if Decimal(s) >= threshold)
    return _pct(at, len(scores), "" if scores else "no project has a score yet")


# --- learning from excellence ----------------------------------------------------------


@metric("lfe_reports_per_100_staff", "Learning from Excellence reports per 100 staff", unit="")
def lfe_reports_per_100_staff(
    collaborative: Collaborative, start: date, end: date, params: Params
) -> MetricValue:
    """Learning from Excellence reports at member organisations in the period, per 100 of
    their people on the platform (staff, programme managers and partners affiliated at the
    end of the period: the platform's own head count, not the organisations' workforce)."""
    from qicollab.excellence.selectors import report_count, staff_count

    ids = _member_org_ids(collaborative, start, end)
    reports = report_count(organisation_ids=ids, start=start, end=end)
    staff = staff_count(organisation_ids=ids, on=end)
    if not staff:
        return MetricValue(0.0, reports, staff, "no staff recorded at member organisations")
    return MetricValue(100.0 * reports / staff, reports, staff, "per 100 people on the platform")


# --- people and organisations ----------------------------------------------------------


def _member_org_ids(collaborative: Collaborative, start: date, end: date) -> Any:
    return CollaborativeMembership.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gt=start),
        collaborative=collaborative,
        joined_on__lte=end,
    ).values("organisation_id")


@metric("lived_experience_partners", "Lived-experience partners involved", unit="people")
def lived_experience_partners(
    collaborative: Collaborative, start: date, end: date, params: Params
) -> MetricValue:
    """People with lived experience who, during the period, were on the team of one of the
    collaborative's projects or were partners affiliated to a member organisation.

    Team membership counts from the day the person was added (the team table keeps no end
    date; people removed from a team are no longer counted).
    """
    from qicollab.accounts.models import Person
    from qicollab.projects.models import ProjectMember

    on_team = ProjectMember.objects.filter(
        project__collaborative=collaborative, created_at__date__lte=end
    ).values("person_id")
    partner = Affiliation.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=start),
        organisation_id__in=_member_org_ids(collaborative, start, end),
        role=AffiliationRole.PARTNER,
        started_on__lte=end,
    ).values("person_id")
    n = (
        Person.objects.exclude(lived_experience="")
        .filter(Q(pk__in=on_team) | Q(pk__in=partner))
        .distinct()
        .count()
    )
    return MetricValue(float(n), n)


@metric(
    "organisations_engaged",
    "Organisations engaged",
    unit="organisations",
    params={"org_type": ""},
)
def organisations_engaged(
    collaborative: Collaborative, start: date, end: date, params: Params
) -> MetricValue:
    """Member organisations during the period, or only those of one type when the goal names
    one (``org_type``). The detail gives the count of each type."""
    org_type = str(params.get("org_type", "") or "")
    types = list(
        Organisation.objects.filter(pk__in=_member_org_ids(collaborative, start, end)).values_list(
            "org_type", flat=True
        )
    )
    by_type = Counter(types)
    labels = dict(OrganisationType.choices)
    detail = "; ".join(f"{labels.get(t, t)}: {n}" for t, n in sorted(by_type.items()))
    n = by_type[org_type] if org_type else len(types)
    return MetricValue(float(n), n, None, detail)


# --- capability (the 3 L's) ------------------------------------------------------------


def _members_counting(collaborative: Collaborative, on: date) -> int | None:
    """Members counting under the collaborative's 3 L's definition, or ``None`` when the
    capability app (built alongside this one) is not installed."""
    try:
        from qicollab.capability.selectors import members_counting
    except ImportError:
        return None
    return members_counting(collaborative=collaborative, on=on)


@metric(
    "capability_change_pct",
    "Change in members who Learn, Live or Lead QI since the baseline",
    unit="%",
    params={"baseline": "goal baseline date"},
)
def capability_change_pct(
    collaborative: Collaborative, start: date, end: date, params: Params
) -> MetricValue:
    """Percentage change in the number of members counting under the collaborative's 3 L's
    definition, from the goal's baseline date to the end of the period.

    Numerator: members counting at the end; denominator: members counting at the baseline
    (``params["baseline"]``, ISO date; the goal passes its own)."""
    baseline = params.get("baseline")
    on = date.fromisoformat(str(baseline)) if baseline else start
    then = _members_counting(collaborative, on)
    now = _members_counting(collaborative, end)
    if then is None or now is None:
        return MetricValue(0.0, None, None, NO_DATA_SOURCE)
    if not then:
        return MetricValue(0.0, now, then, "no members counted at the baseline")
    return MetricValue(100.0 * (now - then) / then, now, then)


@metric("capability_members", "Members who Learn, Live or Lead QI", unit="members")
def capability_members(
    collaborative: Collaborative, start: date, end: date, params: Params
) -> MetricValue:
    """Members counting under the collaborative's 3 L's definition at the end of the period."""
    n = _members_counting(collaborative, end)
    if n is None:
        return MetricValue(0.0, None, None, NO_DATA_SOURCE)
    return MetricValue(float(n), n)


# --- not yet recorded anywhere ---------------------------------------------------------


@metric(
    "people_trained",
    "People trained",
    unit="people",
    params={"category": "", "kind": ""},
)
def people_trained(
    collaborative: Collaborative, start: date, end: date, params: Params
) -> MetricValue:
    """Distinct people who completed one of the collaborative's courses in the period.

    ``category`` (a training category such as ``qi`` or ``human_factors``) and ``kind``
    (``staff``, ``lived_experience`` or ``other``) narrow the count; the detail gives the
    count of each kind of person."""
    from qicollab.capability import selectors as capability
    from qicollab.capability.models import PersonKind, TrainingCategory

    category = str(params.get("category", "") or "")
    kind = str(params.get("kind", "") or "")
    if category and category not in TrainingCategory.values:
        return MetricValue(0.0, None, None, f"unknown training category {category!r}")
    if kind and kind not in PersonKind.values:
        return MetricValue(0.0, None, None, f"unknown kind of person {kind!r}")
    ids = [collaborative.pk]
    n = capability.people_trained_count(
        ids, since=start, until=end, category=category or None, kind=kind or None
    )
    by_kind = capability.people_trained_by_kind(
        ids, since=start, until=end, category=category or None
    )
    labels = dict(PersonKind.choices)
    detail = "; ".join(f"{labels[k]}: {v}" for k, v in by_kind.items() if v)
    return MetricValue(float(n), n, None, detail)


@metric("session_positive_pct", "Learning-session attendees rating it positive", unit="%")
def session_positive_pct(
    collaborative: Collaborative, start: date, end: date, params: Params
) -> MetricValue:
    """Share of feedback respondents who rated the learning session positive (4 or 5 of 5),
    over the collaborative's sessions that started in the period.

    Sessions with fewer than 5 responses are left out of both counts (their results are
    withheld to keep answers anonymous; see qicollab.events.feedback)."""
    from qicollab.events.feedback import MIN_RESPONSES, positive_share

    pooled = positive_share(collaborative=collaborative, start=start, end=end)
    detail = (
        f"{pooled.withheld_sessions} session(s) with fewer than {MIN_RESPONSES} responses left out"
        if pooled.withheld_sessions
        else ""
    )
    return _pct(pooled.positive, pooled.responses, detail)


# --- innovations and spread ------------------------------------------------------------


@metric(
    "innovation_testing_pct",
    "Member organisations testing an innovation from another member",
    unit="%",
)
def innovation_testing_pct(
    collaborative: Collaborative, start: date, end: date, params: Params
) -> MetricValue:
    """Percentage of member organisations (members at any time in the period) that, by the
    end of the period, had recorded testing, adapting or adopting at least one of the
    collaborative's innovations that came from another organisation (and had not abandoned
    it by then: their latest dated status counts)."""
    from qicollab.innovations.selectors import spreading_organisations

    members = set(
        _member_org_ids(collaborative, start, end).values_list("organisation_id", flat=True)
    )
    trying = spreading_organisations(collaborative=collaborative, on=end) & members
    return _pct(len(trying), len(members))


@metric(
    "innovations_adopted_by",
    "Innovations adopted by at least N organisations",
    unit="innovations",
    params={"organisations": 3},
)
def innovations_adopted_by(
    collaborative: Collaborative, start: date, end: date, params: Params
) -> MetricValue:
    """The collaborative's innovations that, by the end of the period, at least
    ``organisations`` (default 3) other organisations had adopted or adapted (their latest
    dated status)."""
    from qicollab.innovations.selectors import adopter_counts

    n = max(1, int(params.get("organisations", 3)))
    counts = adopter_counts(collaborative=collaborative, on=end)
    hits = sum(1 for c in counts.values() if c >= n)
    return MetricValue(float(hits), hits, None, f"adopted or adapted by {n} or more")
