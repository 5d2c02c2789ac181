"""Reads of measures, their data and bundle audits, always reached through a visible project.

Measures belong to their project: whoever may read the project may read its measures
(``projects.view_project``) and whoever may edit its content may edit them
(``projects.change_project``). Every read here starts from a project the caller has
already obtained through :func:`qicollab.projects.selectors.project_get`, or filters by
:func:`qicollab.projects.selectors.visible_projects`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet

from qicollab.measures.models import (
    Bundle,
    BundleAudit,
    BundleAuditResult,
    BundleElement,
    ChartEvent,
    DataPoint,
    Measure,
)
from qicollab.projects.models import PdsaCycle, Project
from qicollab.projects.selectors import project_get, visible_projects


def project_for(*, viewer: Any, slug: str) -> Project | None:
    """The project if the viewer may read it (``None`` is shown as 404)."""
    return project_get(viewer=viewer, slug=slug)


def measure_list(*, project: Project) -> QuerySet[Measure]:
    """The project's family of measures with what the list shows (one query)."""
    return (
        project.measures.select_related("owner")
        .annotate(
            point_count=Count(
                "points", filter=Q(points__value__isnull=False) | Q(points__numerator__isnull=False)
            ),
            first_period=Min("points__period"),
            last_period=Max("points__period"),
        )
        .order_by("-is_main_outcome", "order", "id")
    )


def measure_get(*, project: Project, pk: int) -> Measure | None:
    return (
        project.measures.select_related("owner", "project", "library_measure__collaborative")
        .filter(pk=pk)
        .first()
    )


def visible_measures(*, viewer: Any) -> QuerySet[Measure]:
    """Every measure the viewer may read (the API's list)."""
    return Measure.objects.filter(project__in=visible_projects(viewer=viewer)).select_related(
        "project", "owner"
    )


def measure_points(*, measure: Measure) -> QuerySet[DataPoint]:
    return measure.points.order_by("period")


def points_of_measures(*, measures: list[Measure]) -> dict[int, list[DataPoint]]:
    """Each measure's points by period, for all the measures in one query (exports)."""
    out: dict[int, list[DataPoint]] = {m.pk: [] for m in measures}
    for p in DataPoint.objects.filter(measure__in=measures).order_by("measure_id", "period"):
        out[p.measure_id].append(p)
    return out


def points_by_period(*, measure: Measure) -> dict[date, DataPoint]:
    return {p.period: p for p in measure.points.select_related("entered_by").order_by("period")}


def chart_events(*, measure: Measure) -> QuerySet[ChartEvent]:
    return measure.chart_events.select_related("created_by").order_by("kind", "on", "id")


def pdsa_annotations(*, project: Project) -> list[tuple[date, str]]:
    """(date, label) for every PDSA cycle with a start date, for the charts' time axis."""
    out: list[tuple[date, str]] = []
    cycles = PdsaCycle.objects.filter(project=project).order_by("cycle_number", "id")
    for cycle in cycles.only(
        "title", "cycle_number", "actual_start", "planned_start", "project_id"
    ):
        on = cycle.actual_start or cycle.planned_start
        if on:
            out.append((on, f"PDSA {cycle.cycle_number}: {cycle.title}"))
    return out


def pdsa_studying(*, measure: Measure) -> list[PdsaCycle]:
    """PDSA cycles whose Study looked at this measure (the cycle's ``study_measure_ids``).

    A project has tens of cycles, so the list is filtered in Python: JSON containment
    queries are not available on SQLite.
    """
    cycles = PdsaCycle.objects.filter(project_id=measure.project_id).order_by("cycle_number", "id")
    return [c for c in cycles if measure.pk in (c.study_measure_ids or [])]


def measure_history(*, measure: Measure) -> Any:
    """Changes to the measure's definition and chart decisions, newest first."""
    return measure.history.select_related("history_user").order_by("-history_date")


def chart_event_history(*, measure: Measure) -> Any:
    return (
        ChartEvent.history.filter(measure_id=measure.pk)
        .select_related("history_user")
        .order_by("-history_date")
    )


def bundle_list(*, project: Project) -> QuerySet[Bundle]:
    return project.bundles.annotate(
        audit_count=Count("audits", distinct=True),
        element_count=Count("elements", distinct=True),
        last_period=Max("audits__period"),
    ).order_by("name")


def bundle_get(*, project: Project, pk: int) -> Bundle | None:
    return (
        project.bundles.select_related("project")
        .prefetch_related(
            Prefetch("elements", queryset=BundleElement.objects.order_by("order", "id"))
        )
        .filter(pk=pk)
        .first()
    )


def bundle_audits(*, bundle: Bundle) -> QuerySet[BundleAudit]:
    results = BundleAuditResult.objects.select_related("element")
    return (
        bundle.audits.select_related("auditor")
        .prefetch_related(Prefetch("results", queryset=results))
        .order_by("-period", "reference")
    )


def bundle_result_rows(*, bundle: Bundle) -> list[tuple[int, date, int, str]]:
    """(audit id, period, element id, result) for every recorded result (one query)."""
    return list(
        BundleAuditResult.objects.filter(audit__bundle=bundle).values_list(
            "audit_id", "audit__period", "element_id", "result"
        )
    )
