"""Reads for safety-culture pages and the API, scoped by the viewer's roles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from qicollab.accounts.models import Person
from qicollab.accounts.roles import roles_for
from qicollab.culture import suppression
from qicollab.culture.models import (
    ActionStatus,
    CultureAction,
    Debrief,
    Instrument,
    Item,
    Response,
    ResultShare,
    Wave,
    WaveUnit,
)
from qicollab.organisations.models import (
    Affiliation,
    Collaborative,
    CollaborativeMembership,
    Organisation,
    Unit,
)


def instrument_list(*, viewer: Any) -> QuerySet[Instrument]:
    """Shared instruments and those of the viewer's collaboratives."""
    r = roles_for(viewer)
    qs = Instrument.objects.all()
    if not r.is_superuser:
        qs = qs.filter(Q(collaborative__isnull=True) | Q(collaborative_id__in=r.visible_collab_ids))
    return qs.annotate(
        item_count=Count("items"), blank_texts=Count("items", filter=Q(items__text=""))
    )


def instrument_get(*, viewer: Any, pk: int) -> Instrument | None:
    return instrument_list(viewer=viewer).filter(pk=pk).first()


def instrument_structure(*, instrument: Instrument) -> list[tuple[Any, list[Item]]]:
    """Domains with their items, in order (two queries)."""
    items = list(instrument.items.all())
    return [(d, [i for i in items if i.domain_id == d.pk]) for d in instrument.domains.all()]


def wave_list(*, viewer: Any) -> QuerySet[Wave]:
    """Waves the viewer may know about (the same rule as ``culture.view_wave``)."""
    r = roles_for(viewer)
    qs = Wave.objects.select_related("organisation", "instrument", "team_leader", "facilitator")
    if r.is_superuser:
        return qs
    pid = r.person_id
    if pid is None:
        return qs.none()
    return qs.filter(
        Q(organisation_id__in=r.own_org_ids)
        | Q(team_leader_id=pid)
        | Q(facilitator_id=pid)
        | Q(pk__in=ResultShare.objects.filter(person_id=pid).values("wave_id"))
    )


def wave_get(*, viewer: Any, pk: int) -> Wave | None:
    return wave_list(viewer=viewer).filter(pk=pk).first()


def wave_units(*, wave: Wave) -> list[WaveUnit]:
    return list(WaveUnit.objects.filter(wave=wave).select_related("unit").order_by("unit__name"))


def wave_unit_get(*, wave: Wave, pk: int) -> WaveUnit | None:
    return (
        WaveUnit.objects.select_related("unit", "wave__instrument", "wave__organisation")
        .filter(wave=wave, pk=pk)
        .first()
    )


@dataclass(frozen=True)
class UnitCount:
    wave_unit: WaveUnit
    responses: int | None  # None: withheld
    rate: float | None


@dataclass(frozen=True)
class Monitoring:
    """Response counts per unit (suppressed), and the wave's total."""

    units: list[UnitCount]
    total: int | None
    eligible: int
    threshold: int


def monitoring(*, wave: Wave) -> Monitoring:
    """Counts only, never answers; every count under the threshold (or recoverable) withheld."""
    k = suppression.threshold(wave.min_group)
    units = wave_units(wave=wave)
    counts = dict(
        Response.objects.filter(wave_unit__wave=wave)
        .values_list("wave_unit_id")
        .annotate(n=Count("id"))
        .values_list("wave_unit_id", "n")
    )
    cells = {wu.pk: counts.get(wu.pk, 0) for wu in units}
    total = sum(cells.values())
    total_shown = suppression.shown(total, k) or total == 0
    safe = suppression.safe_cells(cells, k, total_shown=total_shown)
    rows = [
        UnitCount(
            wu,
            cells[wu.pk] if wu.pk in safe else None,
            round(100 * cells[wu.pk] / wu.eligible, 1) if wu.pk in safe else None,
        )
        for wu in units
    ]
    return Monitoring(rows, total if total_shown else None, sum(wu.eligible for wu in units), k)


def share_list(*, wave: Wave) -> QuerySet[ResultShare]:
    return (
        ResultShare.objects.filter(wave=wave).select_related("person").order_by("person__full_name")
    )


def share_candidates(*, wave: Wave) -> QuerySet[Person]:
    """People of the wave's organisation the leader may share results with."""
    today = timezone.localdate()
    ids = (
        Affiliation.objects.filter(organisation=wave.organisation)
        .exclude(ended_on__lte=today)
        .values("person_id")
    )
    return (
        Person.objects.filter(pk__in=ids)
        .exclude(pk__in=[wave.team_leader_id, wave.facilitator_id])
        .order_by("full_name")
    )


def organisation_people(*, organisation: Organisation) -> QuerySet[Person]:
    today = timezone.localdate()
    ids = (
        Affiliation.objects.filter(organisation=organisation)
        .exclude(ended_on__lte=today)
        .values("person_id")
    )
    return Person.objects.filter(pk__in=ids).order_by("full_name")


def managed_organisations(*, viewer: Any) -> QuerySet[Organisation]:
    r = roles_for(viewer)
    if r.is_superuser:
        return Organisation.objects.order_by("name")
    return Organisation.objects.filter(pk__in=r.managed_org_ids).order_by("name")


def organisation_units(*, organisation: Organisation) -> QuerySet[Unit]:
    return Unit.objects.filter(organisation=organisation, closed_on__isnull=True).order_by("name")


def previous_waves(*, organisation: Organisation) -> QuerySet[Wave]:
    return Wave.objects.filter(organisation=organisation).order_by("-opens_on")


@dataclass(frozen=True)
class DebriefView:
    debrief: Debrief
    items: list[Item]
    actions: list[CultureAction]


def debriefs(*, wave_unit: WaveUnit) -> list[DebriefView]:
    """A unit's debriefs with their items and actions (three queries in all)."""
    rows = (
        Debrief.objects.filter(wave_unit=wave_unit)
        .select_related("facilitator")
        .prefetch_related("items_discussed", "actions__project")
    )
    return [DebriefView(d, list(d.items_discussed.all()), list(d.actions.all())) for d in rows]


def debrief_get(*, wave_unit: WaveUnit, pk: int) -> Debrief | None:
    return (
        Debrief.objects.filter(wave_unit=wave_unit, pk=pk).select_related("wave_unit__wave").first()
    )


def action_get(*, debrief: Debrief, pk: int) -> CultureAction | None:
    return CultureAction.objects.filter(debrief=debrief, pk=pk).select_related("project").first()


def linkable_projects(*, viewer: Any, organisation: Organisation) -> QuerySet[Any]:
    """Projects the viewer can see, led by the survey's organisation."""
    from qicollab.projects.selectors import visible_projects

    return visible_projects(viewer=viewer).filter(lead_organisation=organisation).order_by("title")


def project_collaboratives(*, viewer: Any, organisation: Organisation) -> QuerySet[Collaborative]:
    """Collaboratives where the viewer may start a project led by ``organisation``."""
    from qicollab.projects.selectors import creation_collaboratives

    current = (
        CollaborativeMembership.objects.current()
        .filter(organisation=organisation)
        .values("collaborative_id")
    )
    return creation_collaboratives(viewer=viewer).filter(pk__in=current)


def project_actions(*, project: Any) -> QuerySet[CultureAction]:
    return CultureAction.objects.filter(project=project).select_related(
        "debrief__wave_unit__unit", "debrief__wave_unit__wave"
    )


# --- participation: what the collaborative and the national programme see ---------------


@dataclass(frozen=True)
class OrgParticipation:
    organisation: Organisation
    teams_surveyed: int
    eligible: int
    responses: int | None  # withheld under the threshold
    rate: float | None
    debriefs_held: int
    resurveys: int


def participation(*, collaborative: Collaborative) -> list[OrgParticipation]:
    """Per member organisation: teams surveyed in closed waves, response rate, debriefs held,
    re-surveys done. Never a result; the response count passes through suppression."""
    today = timezone.localdate()
    k = suppression.threshold()
    org_ids = list(collaborative.memberships.current().values_list("organisation_id", flat=True))
    closed = WaveUnit.objects.filter(wave__organisation_id__in=org_ids).filter(
        Q(wave__closes_on__lt=today) | Q(wave__closed_early_on__lt=today)
    )
    teams: dict[int, set[int]] = {}
    eligible: dict[int, int] = {}
    for org_id, unit_id, n in closed.values_list("wave__organisation_id", "unit_id", "eligible"):
        teams.setdefault(org_id, set()).add(unit_id)
        eligible[org_id] = eligible.get(org_id, 0) + n
    # Each unit's count is added only if it could be shown on its own, so no total minus
    # shown parts can reveal a unit (or a wave) with fewer than the threshold.
    responses: dict[int, int] = {}
    for org_id, n in (
        Response.objects.filter(wave_unit__in=closed)
        .values("wave_unit_id", "wave_unit__wave__organisation_id")
        .annotate(n=Count("id"))
        .values_list("wave_unit__wave__organisation_id", "n")
    ):
        if suppression.shown(n, k):
            responses[org_id] = responses.get(org_id, 0) + n
    debriefs_held = dict(
        Debrief.objects.filter(wave_unit__in=closed)
        .values("wave_unit__wave__organisation_id")
        .annotate(n=Count("wave_unit_id", distinct=True))
        .values_list("wave_unit__wave__organisation_id", "n")
    )
    resurveys = dict(
        closed.filter(wave__previous__isnull=False)
        .values("wave__organisation_id")
        .annotate(n=Count("id"))
        .values_list("wave__organisation_id", "n")
    )
    orgs = Organisation.objects.filter(pk__in=org_ids).order_by("name")
    out = []
    for org in orgs:
        n = responses.get(org.pk, 0)
        ok = suppression.shown(n, k)
        e = eligible.get(org.pk, 0)
        out.append(
            OrgParticipation(
                org,
                len(teams.get(org.pk, ())),
                e,
                n if ok else None,
                round(100 * n / e, 1) if ok and e else None,
                debriefs_held.get(org.pk, 0),
                resurveys.get(org.pk, 0),
            )
        )
    return out


def participation_collaboratives(*, viewer: Any) -> QuerySet[Collaborative]:
    from qicollab.culture.rules import can_view_participation

    r = roles_for(viewer)
    if r.is_superuser:
        return Collaborative.objects.order_by("name")
    ids = [c for c in r.visible_collab_ids if can_view_participation(viewer, Collaborative(pk=c))]
    return Collaborative.objects.filter(pk__in=ids).order_by("name")


def my_open_actions(*, viewer: Any) -> QuerySet[CultureAction]:
    """Open debrief actions of the waves the viewer leads or facilitates (one query)."""
    if not getattr(viewer, "is_authenticated", False):
        return CultureAction.objects.none()
    return (
        CultureAction.objects.filter(
            Q(debrief__wave_unit__wave__team_leader_id=viewer.pk)
            | Q(debrief__wave_unit__wave__facilitator_id=viewer.pk),
        )
        .filter(status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS])
        .select_related("debrief__wave_unit__unit", "debrief__wave_unit__wave")
        .order_by("due_on", "pk")
    )
