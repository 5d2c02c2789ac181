"""Every read of Learning from Excellence, scoped by the viewer.

Who sees a report (the one rule; pages, API, admin and exports all come through here):

* the reporter;
* its recipients (a team's recipients are the unit's leaders);
* a recipient's line manager, only once that recipient chose to tell them;
* the organisation's LfE leads;
* everyone in the organisation, only once **every** recipient agreed to share it more widely.

Everyone else gets a 404. The reporter's name is shown only to the reporter and the LfE
leads when the report is anonymous (:func:`reporter_shown`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from qicollab.accounts.models import Person
from qicollab.accounts.roles import roles_for
from qicollab.excellence.access import lead_org_ids
from qicollab.excellence.models import (
    AppreciativeInquiry,
    ExcellenceReport,
    LfeLead,
    Recipient,
    Theme,
)
from qicollab.organisations.models import (
    Affiliation,
    AffiliationRole,
    Collaborative,
    CollaborativeMembership,
    Organisation,
    Unit,
    UnitMember,
    UnitRole,
)


def today() -> dt.date:
    return timezone.localdate()


def led_unit_ids(person: Any) -> QuerySet[Any]:
    """Units the person leads (their team's excellence reaches them)."""
    return UnitMember.objects.filter(person_id=person.pk, role=UnitRole.LEADER).values("unit_id")


def _shared() -> Q:
    """Every recipient agreed to share the report more widely (and it has recipients)."""
    rows = Recipient.objects.filter(report=OuterRef("pk"))
    return Q(Exists(rows)) & ~Q(Exists(rows.filter(share_wider=False)))


def visible_reports(*, viewer: Any) -> QuerySet[ExcellenceReport]:
    """Every report the viewer may open (see the module docstring)."""
    r = roles_for(viewer)
    if not r.is_authenticated:
        return ExcellenceReport.objects.none()
    mine = Recipient.objects.filter(
        Q(person_id=viewer.pk)
        | Q(unit_id__in=led_unit_ids(viewer))
        | Q(line_manager_id=viewer.pk, tell_manager=True)
    ).values("report_id")
    cond = (
        Q(reporter_id=viewer.pk)
        | Q(pk__in=mine)
        | Q(organisation_id__in=lead_org_ids(viewer))
        | (Q(organisation_id__in=r.own_org_ids) & _shared())
    )
    return ExcellenceReport.objects.filter(cond)


def with_detail(qs: QuerySet[ExcellenceReport]) -> QuerySet[ExcellenceReport]:
    return qs.select_related("organisation", "reporter", "unit").prefetch_related(
        Prefetch(
            "recipients",
            queryset=Recipient.objects.select_related("person", "unit", "line_manager"),
        ),
        "themes",
        Prefetch("acknowledgements", queryset=_acks()),
    )


def _acks() -> QuerySet[Any]:
    from qicollab.excellence.models import Acknowledgement

    return Acknowledgement.objects.select_related("person")


def report_get(*, viewer: Any, pk: int) -> ExcellenceReport | None:
    """The report, or ``None`` when it does not exist for this viewer (a 404)."""
    return with_detail(visible_reports(viewer=viewer)).filter(pk=pk).first()


def is_lead(viewer: Any, organisation_id: int) -> bool:
    return organisation_id in lead_org_ids(viewer)


def reporter_shown(*, viewer: Any, report: ExcellenceReport) -> bool:
    """Whether the viewer may see who wrote the report (the anonymity rule, in one place)."""
    if not report.anonymous:
        return True
    return report.reporter_id == viewer.pk or is_lead(viewer, report.organisation_id)


def recipient_rows_for(*, viewer: Any, report: ExcellenceReport) -> list[Recipient]:
    """The recipient rows whose choices the viewer makes (their own, or their team's)."""
    led = set(led_unit_ids(viewer).values_list("unit_id", flat=True))
    return [
        rec
        for rec in report.recipients.all()
        if rec.person_id == viewer.pk or (rec.unit_id is not None and rec.unit_id in led)
    ]


# --- my excellence ----------------------------------------------------------------------


@dataclass
class MyExcellence:
    new: list[ExcellenceReport]
    kept: list[ExcellenceReport]
    sent: list[ExcellenceReport]
    managed: list[ExcellenceReport]


def my_excellence(*, viewer: Any) -> MyExcellence:
    """The person's page: new reports about them (the inbox), the ones they kept, the ones
    they sent, and those their reports chose to tell them about as line manager."""
    about = Recipient.objects.filter(Q(person_id=viewer.pk) | Q(unit_id__in=led_unit_ids(viewer)))
    new_ids = about.filter(answered_at__isnull=True).values("report_id")
    kept_ids = about.filter(answered_at__isnull=False, keep=True).values("report_id")
    managed_ids = Recipient.objects.filter(line_manager_id=viewer.pk, tell_manager=True).values(
        "report_id"
    )
    base = _list(ExcellenceReport.objects.all())
    return MyExcellence(
        new=list(base.filter(pk__in=new_ids)),
        kept=list(base.filter(pk__in=kept_ids)),
        sent=list(base.filter(reporter_id=viewer.pk)[:50]),
        managed=list(base.filter(pk__in=managed_ids)[:50]),
    )


def _list(qs: QuerySet[ExcellenceReport]) -> QuerySet[ExcellenceReport]:
    return qs.select_related("organisation", "reporter", "unit").prefetch_related(
        Prefetch("recipients", queryset=Recipient.objects.select_related("person", "unit"))
    )


def shared_reports(*, viewer: Any, organisation: Organisation) -> QuerySet[ExcellenceReport]:
    """Reports every recipient agreed to share across the organisation."""
    if organisation.pk not in roles_for(viewer).own_org_ids:
        return ExcellenceReport.objects.none()
    return _list(ExcellenceReport.objects.filter(organisation=organisation)).filter(_shared())


# --- organisations, people and units offered on forms -----------------------------------


def reporting_organisations(*, viewer: Any) -> QuerySet[Organisation]:
    """Organisations the viewer may report excellence in: those they work for."""
    return Organisation.objects.filter(pk__in=roles_for(viewer).own_org_ids).order_by("name")


def organisation_get(*, viewer: Any, slug: str) -> Organisation | None:
    """One of the viewer's own organisations (others do not exist for LfE)."""
    return reporting_organisations(viewer=viewer).filter(slug=slug).first()


def colleagues(*, organisation: Organisation) -> QuerySet[Person]:
    """People currently affiliated with the organisation (possible recipients, managers)."""
    on = today()
    current = Affiliation.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=on), organisation=organisation
    ).exclude(role=AffiliationRole.VIEWER)
    return Person.objects.filter(pk__in=current.values("person_id"), is_active=True).order_by(
        "full_name"
    )


def units(*, organisation: Organisation) -> QuerySet[Unit]:
    return Unit.objects.filter(organisation=organisation, closed_on__isnull=True).order_by("name")


def themes(*, organisation: Organisation) -> QuerySet[Theme]:
    return Theme.objects.filter(organisation=organisation).select_related("project")


def theme_get(*, organisation: Organisation, slug: str) -> Theme | None:
    return themes(organisation=organisation).filter(slug=slug).first()


def leads(*, organisation: Organisation) -> QuerySet[LfeLead]:
    return LfeLead.objects.filter(organisation=organisation).select_related("person")


def inquiries(*, organisation: Organisation) -> QuerySet[AppreciativeInquiry]:
    return AppreciativeInquiry.objects.filter(organisation=organisation).select_related(
        "theme", "report"
    )


def organisation_reports(*, organisation: Organisation) -> QuerySet[ExcellenceReport]:
    """Every report of the organisation: for its LfE leads only (views check first)."""
    return _list(ExcellenceReport.objects.filter(organisation=organisation)).prefetch_related(
        "themes"
    )


def project_choices(*, viewer: Any, organisation: Organisation) -> QuerySet[Any]:
    """Existing projects a theme may be linked to: the organisation's, that the viewer sees."""
    from qicollab.projects.selectors import visible_projects

    return (
        visible_projects(viewer=viewer)
        .filter(lead_organisation=organisation)
        .select_related("collaborative")
        .order_by("title")
    )


def project_collaboratives(*, viewer: Any, organisation: Organisation) -> list[Collaborative]:
    """Collaboratives in which the viewer may start a project led by the organisation."""
    from qicollab.projects.selectors import creation_collaboratives, creation_organisations

    return [
        c
        for c in creation_collaboratives(viewer=viewer)
        if creation_organisations(viewer=viewer, collaborative=c)
        .filter(pk=organisation.pk)
        .exists()
    ]


# --- the LfE lead's dashboard -----------------------------------------------------------


def month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of the months from ``start``'s month to ``end``'s, inclusive.

    >>> [d.isoformat() for d in month_starts(dt.date(2025, 11, 5), dt.date(2026, 1, 2))]
    ['2025-11-01', '2025-12-01', '2026-01-01']
    """
    out = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        out.append(dt.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


@dataclass
class CountTable:
    """Counts per label per month, for a table and a chart."""

    months: list[dt.date]
    rows: list[tuple[str, list[int], int]]


def _table(months: list[dt.date], counts: dict[str, Counter[dt.date]]) -> CountTable:
    rows = [
        (label, [c.get(m, 0) for m in months], sum(c.get(m, 0) for m in months))
        for label, c in counts.items()
    ]
    rows.sort(key=lambda r: (-r[2], r[0]))
    return CountTable(months, rows)


def _month(value: Any) -> dt.date:
    day: dt.date = value.date() if isinstance(value, dt.datetime) else value
    return day


def monthly_counts(
    *, organisation_ids: Any, start: dt.date, end: dt.date
) -> dict[int, Counter[dt.date]]:
    """organisation id -> month -> number of reports (by the date it happened)."""
    rows = (
        ExcellenceReport.objects.filter(
            organisation_id__in=organisation_ids, happened_on__gte=start, happened_on__lte=end
        )
        .annotate(month=TruncMonth("happened_on"))
        .values("organisation_id", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    out: dict[int, Counter[dt.date]] = defaultdict(Counter)
    for row in rows:
        out[row["organisation_id"]][_month(row["month"])] += row["n"]
    return out


def theme_table(*, organisation_ids: Any, start: dt.date, end: dt.date) -> CountTable:
    """Reports per theme per month (a report with two themes counts under each)."""
    # The tagging table (a through model the type stubs cannot annotate through).
    tags: Any = ExcellenceReport.themes.through
    rows = (
        tags.objects.filter(
            excellencereport__organisation_id__in=organisation_ids,
            excellencereport__happened_on__gte=start,
            excellencereport__happened_on__lte=end,
        )
        .annotate(month=TruncMonth("excellencereport__happened_on"))
        .values("theme__name", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[str, Counter[dt.date]] = defaultdict(Counter)
    for row in rows:
        # Organisations name themes alike in different cases ("kindness", "Kindness").
        counts[row["theme__name"].strip().capitalize()][_month(row["month"])] += row["n"]
    return _table(month_starts(start, end), counts)


def unit_table(*, organisation: Organisation, start: dt.date, end: dt.date) -> CountTable:
    """Reports per ward, team or department per month."""
    rows = (
        ExcellenceReport.objects.filter(
            organisation=organisation, happened_on__gte=start, happened_on__lte=end
        )
        .annotate(month=TruncMonth("happened_on"))
        .values("unit__name", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[str, Counter[dt.date]] = defaultdict(Counter)
    for row in rows:
        counts[row["unit__name"] or "Not given"][_month(row["month"])] += row["n"]
    return _table(month_starts(start, end), counts)


# --- the collaborative roll-up (counts only) --------------------------------------------


def rollup_collaborative_get(*, viewer: Any, slug: str) -> Collaborative | None:
    """A collaborative the viewer belongs to, leads, teaches, sponsors or administers."""
    r = roles_for(viewer)
    return Collaborative.objects.filter(pk__in=r.visible_collab_ids, slug=slug).first()


def member_organisations(*, collaborative: Collaborative) -> list[Organisation]:
    ids = CollaborativeMembership.objects.current().filter(collaborative=collaborative)
    return list(Organisation.objects.filter(pk__in=ids.values("organisation_id")).order_by("name"))


def report_count(*, organisation_ids: Any, start: dt.date, end: dt.date) -> int:
    return ExcellenceReport.objects.filter(
        organisation_id__in=organisation_ids, happened_on__gte=start, happened_on__lte=end
    ).count()


def staff_count(*, organisation_ids: Any, on: dt.date) -> int:
    """People affiliated (staff, programme managers, partners) with the organisations on a
    date: the platform's own head count, the denominator of "reports per 100 staff"."""
    return (
        Affiliation.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=on),
            organisation_id__in=organisation_ids,
            started_on__lte=on,
        )
        .exclude(role=AffiliationRole.VIEWER)
        .values("person_id")
        .distinct()
        .count()
    )
