"""Reads for the national roll-up: who may see which collaboratives' rows, and the figures.

The figures use the same definitions as the programme-goal metrics in
``qicollab.insights.metrics`` (projects started by start date, completed by end date;
organisations engaged = members at any time in the period; sharing learning from deaths =
``deaths.selectors.organisations_sharing``), but are computed with grouped queries so that a
national programme of 15 collaboratives and 450 organisations costs a fixed handful of
queries, plus one per collaborative for the deaths-sharing selector that is reused as is.
Tests check the grouped counts against the per-collaborative metric functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from qicollab.accounts.roles import roles_for
from qicollab.deaths.identifiers import FinancialQuarter
from qicollab.national.models import Designation, DesignationKind
from qicollab.organisations.models import (
    Collaborative,
    CollaborativeMembership,
    NationalProgramme,
    Organisation,
    OrganisationType,
)

# Figures that exist at every level (national, collaborative, organisation).
DESIGNATION_KEYS = tuple(DesignationKind.values)
PROJECT_KEYS = ("projects_started", "projects_completed")
ORG_TYPE_KEYS = tuple(f"orgs_{t}" for t in OrganisationType.values)


# --- who may see what -----------------------------------------------------------------


def programme_get(*, slug: str) -> NationalProgramme | None:
    """The programme with this slug, or ``None``."""
    return NationalProgramme.objects.filter(slug=slug).first()


def programmes_for(*, viewer: Any) -> list[NationalProgramme]:
    """Programmes in which the viewer may see at least one collaborative's roll-up row."""
    roles = roles_for(viewer)
    ids = roles.admin_collab_ids | roles.lead_collab_ids
    if not ids:
        return []
    return list(NationalProgramme.objects.filter(collaboratives__in=ids).distinct())


def rollup_collab_ids(*, viewer: Any, programme: NationalProgramme) -> frozenset[int]:
    """Collaboratives of ``programme`` whose rows the viewer may see.

    National admins of the programme (and superusers) see every collaborative in it;
    collaborative leads see their own collaboratives' rows, and totals over those rows
    only. Faculty, programme managers and members see nothing here: the roll-up is a
    programme-management view, and organisation-level figures of other members are not
    theirs to see.
    """
    roles = roles_for(viewer)
    in_programme = set(
        Collaborative.objects.filter(programme=programme).values_list("id", flat=True)
    )
    return frozenset((roles.admin_collab_ids | roles.lead_collab_ids) & in_programme)


def knows_programme(*, viewer: Any, programme: NationalProgramme) -> bool:
    """Whether the viewer belongs to any collaborative of the programme (403, not 404)."""
    roles = roles_for(viewer)
    return Collaborative.objects.filter(
        programme=programme, id__in=roles.visible_collab_ids
    ).exists()


# --- periods ----------------------------------------------------------------------------


class BadPeriod(ValueError):
    """A quarter that is not one, or has not started yet."""


def latest_complete_quarter(today: date | None = None) -> FinancialQuarter:
    """The last NHS financial-year quarter that has ended."""
    return FinancialQuarter.containing(today or timezone.localdate()).previous()


def parse_quarter(text: str | None, *, today: date | None = None) -> FinancialQuarter:
    """The quarter named ``YYYY-Qn`` (NHS financial year), or the latest complete one when
    ``text`` is empty. Raises :class:`BadPeriod` with a reason for anything else."""
    today = today or timezone.localdate()
    if not (text or "").strip():
        return latest_complete_quarter(today)
    q = FinancialQuarter.parse(str(text))
    if q is None:
        raise BadPeriod(
            f"'{text}' is not a quarter. Use the financial year and quarter, like 2025-Q1 "
            "(April to June 2025)."
        )
    if q.start > today:
        raise BadPeriod(f"{q.label} has not started yet. Choose a quarter up to the current one.")
    return q


def quarter_choices(*, today: date | None = None, count: int = 12) -> list[FinancialQuarter]:
    """The current quarter and the ``count - 1`` before it, newest first."""
    q = FinancialQuarter.containing(today or timezone.localdate())
    out = []
    for _ in range(count):
        out.append(q)
        q = q.previous()
    return out


# --- the figures ------------------------------------------------------------------------


@dataclass
class Row:
    """One row of figures: the national total, a collaborative, or an organisation.

    ``values`` maps a figure key to a count; ``None`` means the figure is not recorded at
    this level (people trained below the collaborative, for example).
    """

    label: str
    values: dict[str, int | None] = field(default_factory=dict)
    collaborative: Collaborative | None = None
    organisation: Organisation | None = None
    org_type: str = ""

    def add(self, key: str, n: int | None) -> None:
        if n is None:
            self.values.setdefault(key, None)
            return
        self.values[key] = (self.values.get(key) or 0) + n


@dataclass
class Rollup:
    """The roll-up for one programme, quarter and set of visible collaboratives."""

    programme: NationalProgramme
    quarter: FinancialQuarter
    total: Row
    collaboratives: list[Row]
    # collaborative id -> its member organisations' rows
    organisations: dict[int, list[Row]]
    # course categories of people trained; ``None`` when training is not recorded yet
    training_categories: list[str] | None

    @property
    def start(self) -> date:
        return self.quarter.start

    @property
    def end(self) -> date:
        return self.quarter.end


@dataclass(frozen=True)
class Trained:
    """People trained, from the capability app's training records."""

    by_category: dict[int, dict[str, int]]  # collaborative id -> category -> people
    people: dict[int, int]  # collaborative id -> distinct people trained
    national: int  # distinct people across the collaboratives (no one counted twice)


def _people_trained(collab_ids: list[int], start: date, end: date) -> Trained | None:
    """People trained in the period, from the capability app's training records; ``None``
    while training is not recorded in the platform (never a made-up number).

    Same definitions as the capability app's ``people_trained_by_category`` (the contract
    with this roll-up) and ``people_trained_count``: both count distinct people over its
    ``completions`` selector, which is grouped here by collaborative so that the cost does
    not grow with the number of collaboratives. A test checks the two agree.
    """
    try:
        from qicollab.capability import selectors as capability
        from qicollab.capability.models import TrainingCategory
    except ImportError:  # pragma: no cover - the capability app is installed
        return None
    if not collab_ids:
        return Trained(by_category={}, people={}, national=0)
    done = capability.completions(collab_ids, since=start, until=end)
    collab = "cohort__course__collaborative_id"
    by_category: dict[int, dict[str, int]] = {
        cid: dict.fromkeys(TrainingCategory.values, 0) for cid in collab_ids
    }
    for r in (
        done.values(collab, "cohort__course__category")
        .annotate(n=Count("person_id", distinct=True))
        .order_by()
    ):
        by_category[r[collab]][r["cohort__course__category"]] = r["n"]
    people = dict.fromkeys(collab_ids, 0)
    for r in done.values(collab).annotate(n=Count("person_id", distinct=True)).order_by():
        people[r[collab]] = r["n"]
    national = done.values("person_id").distinct().count()
    return Trained(by_category=by_category, people=people, national=national)


def training_label(category: str) -> str:
    """The course category's name, e.g. ``Quality improvement``."""
    try:
        from qicollab.capability.models import TrainingCategory
    except ImportError:  # pragma: no cover
        return category
    return str(dict(TrainingCategory.choices).get(category, category))


def _memberships(collab_ids: Iterable[int], start: date, end: date) -> QuerySet[Any]:
    # Same definition as collaborative.metrics._member_org_ids and deaths.members_during.
    return CollaborativeMembership.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gt=start),
        collaborative_id__in=list(collab_ids),
        joined_on__lte=end,
    )


def rollup(
    *, programme: NationalProgramme, collab_ids: frozenset[int], quarter: FinancialQuarter
) -> Rollup:
    """The roll-up of ``programme``'s collaboratives in ``collab_ids`` for ``quarter``.

    Query cost: collaboratives, memberships with their organisations, designations,
    projects (one grouped query each), and one deaths-sharing query per collaborative.
    """
    from qicollab.deaths.selectors import organisations_sharing
    from qicollab.projects.models import Project, Status

    start, end = quarter.start, quarter.end
    collabs = list(
        Collaborative.objects.filter(programme=programme, id__in=collab_ids).order_by("name")
    )
    ids = [c.pk for c in collabs]
    total = Row(label="All collaboratives")
    collab_rows = {c.pk: Row(label=c.name, collaborative=c) for c in collabs}
    org_rows: dict[int, dict[int, Row]] = {c.pk: {} for c in collabs}

    members = (
        _memberships(ids, start, end)
        .select_related("organisation")
        .order_by("organisation__name")
        .distinct()
    )
    for m in members:
        rows = org_rows[m.collaborative_id]
        if m.organisation_id in rows:  # rejoined within the period: one organisation
            continue
        org = m.organisation
        rows[m.organisation_id] = Row(
            label=org.name,
            collaborative=collab_rows[m.collaborative_id].collaborative,
            organisation=org,
            org_type=org.org_type,
        )

    def org_row(cid: int, oid: int) -> Row | None:
        return org_rows.get(cid, {}).get(oid)

    trained = _people_trained(ids, start, end)
    categories: list[str] | None = None
    if trained is not None:
        categories = list(dict.fromkeys(k for per in trained.by_category.values() for k in per))

    for rows in org_rows.values():
        for orow in rows.values():
            for key in (*DESIGNATION_KEYS, *PROJECT_KEYS, "deaths_sharing", *ORG_TYPE_KEYS):
                orow.values[key] = 0
            orow.values[f"orgs_{orow.org_type}"] = 1
            orow.values["orgs_total"] = 1
            orow.values["trained_total"] = None

    designations = (
        Designation.objects.filter(
            collaborative_id__in=ids, designated_on__gte=start, designated_on__lte=end
        )
        .values("collaborative_id", "organisation_id", "kind")
        .annotate(n=Count("id"))
    )
    for d in designations:
        row = org_row(d["collaborative_id"], d["organisation_id"])
        if row is not None:
            row.add(d["kind"], d["n"])
        else:  # designated at an organisation that is no longer a member: still counted
            collab_rows[d["collaborative_id"]].add(d["kind"], d["n"])

    started = Count("id", filter=Q(start_date__gte=start, start_date__lte=end))
    completed = Count(
        "id", filter=Q(status=Status.COMPLETED, end_date__gte=start, end_date__lte=end)
    )
    projects = (
        Project.objects.filter(collaborative_id__in=ids)
        .filter(
            Q(start_date__gte=start, start_date__lte=end)
            | Q(status=Status.COMPLETED, end_date__gte=start, end_date__lte=end)
        )
        .values("collaborative_id", "lead_organisation_id")
        .annotate(started=started, completed=completed)
        .order_by()
    )
    for p in projects:
        row = org_row(p["collaborative_id"], p["lead_organisation_id"])
        target = row if row is not None else collab_rows[p["collaborative_id"]]
        target.add("projects_started", p["started"])
        target.add("projects_completed", p["completed"])

    # The deaths selector is the definition; it runs per collaborative, so first find (in
    # one query, with a wider filter) the collaboratives that received any summary at all.
    received = _collabs_receiving_learning(ids, start, end)
    for c in collabs:
        if c.pk not in received:
            continue
        for oid in organisations_sharing(collaborative=c, start=start, end=end).values_list(
            "pk", flat=True
        ):
            row = org_row(c.pk, oid)
            if row is not None:
                row.values["deaths_sharing"] = 1

    # Roll the organisations up into their collaborative, and the collaboratives into the total.
    for cid, crow in collab_rows.items():
        for key in (*DESIGNATION_KEYS, *PROJECT_KEYS, "deaths_sharing", *ORG_TYPE_KEYS):
            crow.values.setdefault(key, 0)
        crow.values.setdefault("orgs_total", 0)
        for row in org_rows[cid].values():
            for key, n in row.values.items():
                if key != "trained_total":
                    crow.add(key, n)
        if trained is None:
            crow.values["trained_total"] = None
        else:
            per = trained.by_category.get(cid, {})
            for cat in categories or []:
                crow.values[f"trained:{cat}"] = per.get(cat, 0)
            crow.values["trained_total"] = trained.people.get(cid, 0)
        for key, n in crow.values.items():
            total.add(key, n)
    if trained is not None:
        # Someone trained in two collaboratives is one person nationally.
        total.values["trained_total"] = trained.national
    if not collab_rows:
        total.values = dict.fromkeys(figure_keys(categories), 0)
        if trained is None:
            total.values["trained_total"] = None

    return Rollup(
        programme=programme,
        quarter=quarter,
        total=total,
        collaboratives=[collab_rows[c.pk] for c in collabs],
        organisations={cid: list(rows.values()) for cid, rows in org_rows.items()},
        training_categories=categories,
    )


def _collabs_receiving_learning(ids: list[int], start: date, end: date) -> set[int]:
    """Collaboratives that were shared any learning-from-deaths summary in the period: a
    superset of those with an organisation counted by ``organisations_sharing``."""
    from qicollab.deaths.choices import SummaryStatus
    from qicollab.deaths.models import LearningSummary

    return set(
        LearningSummary.objects.filter(
            status=SummaryStatus.SHARED,
            collaboratives__in=ids,
            shared_at__date__gte=start,
            shared_at__date__lte=end,
        )
        .values_list("collaboratives", flat=True)
        .distinct()
    )


def figure_keys(categories: list[str] | None) -> list[str]:
    """Every figure key, in display order."""
    trained = [f"trained:{c}" for c in categories or []]
    return [
        *DESIGNATION_KEYS,
        *trained,
        "trained_total",
        *PROJECT_KEYS,
        *ORG_TYPE_KEYS,
        "orgs_total",
        "deaths_sharing",
    ]


# --- designations -----------------------------------------------------------------------


def today() -> date:
    return timezone.localdate()


def designation_organisations(
    *, viewer: Any, collaborative: Collaborative
) -> QuerySet[Organisation]:
    """Current member organisations of ``collaborative`` for which the viewer may record
    designations: all of them for its leads and national admins, else those the viewer is
    programme manager of."""
    roles = roles_for(viewer)
    member_ids = (
        CollaborativeMembership.objects.current()
        .filter(collaborative=collaborative)
        .values("organisation_id")
    )
    qs = Organisation.objects.filter(pk__in=member_ids)
    if collaborative.pk in roles.managing_collab_ids:
        return qs.order_by("name")
    return qs.filter(pk__in=roles.managed_org_ids).order_by("name")


def designation_list(*, viewer: Any, collaborative: Collaborative) -> QuerySet[Designation]:
    """Designations in ``collaborative`` at the organisations the viewer may record for."""
    orgs = designation_organisations(viewer=viewer, collaborative=collaborative)
    return (
        Designation.objects.filter(collaborative=collaborative, organisation__in=orgs)
        .select_related("person", "organisation")
        .order_by("-designated_on", "id")
    )
