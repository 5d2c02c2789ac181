"""The family of measures, a measure's definition, its chart page, chart decisions, downloads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import json_script
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from qicollab.core import contributions
from qicollab.core.forms import add_service_error
from qicollab.core.http import found
from qicollab.core.services import EditConflict, version_token
from qicollab.measures import exporting, presenters, rendering, selectors, services
from qicollab.measures.forms import DEFINITION_SECTIONS, ChartEventForm, MeasureForm
from qicollab.measures.library import presenters as library_presenters
from qicollab.measures.library import selectors as library_selectors
from qicollab.measures.models import EventKind
from qicollab.measures.spc_adapter import measure_chart, measure_charts
from qicollab.measures.views.common import (
    EDIT,
    can_edit,
    measure_crumbs,
    project_and_measure,
)
from qicollab.projects.selectors import project_team
from qicollab.projects.views.common import crumbs, get_project, public_view, show_conflict
from qicollab.reports.tabular import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE


@public_view
def measure_list(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_project(request, slug)
    measures = list(selectors.measure_list(project=project))
    charts = measure_charts(measures)
    return render(
        request,
        "measures/measure_list.jinja",
        {
            "page_title": f"Measures: {project.title}",
            "active_nav": "projects",
            "breadcrumbs": crumbs(project, ("Measures", "")),
            "project": project,
            "family": presenters.family(measures, charts),
            "bundles": selectors.bundle_list(project=project),
            "can_edit": can_edit(request, project),
            "type_tag": presenters.type_tag,
        },
    )


def _team(project: object) -> object:
    from qicollab.accounts.models import Person

    return Person.objects.filter(
        pk__in=project_team(project=project).values("person_id")  # type: ignore[arg-type]
    ).order_by("full_name")


@public_view
def measure_create(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_project(request, slug, EDIT)
    form = MeasureForm(request.POST or None, team=_team(project))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "loaded_version"}
        try:
            actor = request.user
            measure = services.measure_create(actor=actor, project=project, data=data)  # type: ignore[arg-type]
        except (services.MeasureError, ValidationError) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"'{measure.name}' has been added. Next, enter its data.")
            return redirect("measures:data_grid", project.slug, measure.pk)
    return render(
        request,
        "measures/measure_form.jinja",
        {
            "page_title": "Add a measure",
            "library": library_selectors.library_for_project(project=project),
            "active_nav": "projects",
            "breadcrumbs": measure_crumbs(project, ("Add a measure", "")),
            "project": project,
            "form": form,
            "sections": DEFINITION_SECTIONS,
        },
    )


@public_view
def measure_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project, measure = project_and_measure(request, slug, pk, EDIT)
    form = MeasureForm(
        request.POST or None,
        instance=measure,
        team=_team(project),
        initial={"loaded_version": version_token(measure)},
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "loaded_version"}
        try:
            fresh = found(selectors.measure_get(project=project, pk=pk))
            services.measure_update(
                actor=request.user,  # type: ignore[arg-type]
                measure=fresh,
                data=data,
                loaded_version=form.cleaned_data["loaded_version"],
            )
        except EditConflict as exc:
            conflict = show_conflict(form, exc, "measure")
        except (services.MeasureError, ValidationError) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Your changes have been saved.")
            return redirect(measure.get_absolute_url())
    return render(
        request,
        "measures/measure_form.jinja",
        {
            "page_title": f"Change the definition of {measure.name}",
            "active_nav": "projects",
            "breadcrumbs": measure_crumbs(
                project, (measure.name, measure.get_absolute_url()), ("Change", "")
            ),
            "project": project,
            "measure": measure,
            "form": form,
            "sections": DEFINITION_SECTIONS,
            "conflict": conflict,
            "conflict_rows": presenters.conflict_rows(conflict) if conflict else [],
        },
    )


@public_view
def measure_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project, measure = project_and_measure(request, slug, pk, EDIT)
    if request.method == "POST":
        services.measure_delete(actor=request.user, measure=measure)  # type: ignore[arg-type]
        messages.success(request, f"'{measure.name}' and its data have been deleted.")
        return redirect("measures:measure_list", project.slug)
    return render(
        request,
        "measures/measure_delete.jinja",
        {
            "page_title": f"Delete {measure.name}",
            "active_nav": "projects",
            "breadcrumbs": measure_crumbs(
                project, (measure.name, measure.get_absolute_url()), ("Delete", "")
            ),
            "project": project,
            "measure": measure,
            "point_count": measure.points.count(),
        },
    )


def _detail_context(
    request: HttpRequest, project: object, measure: object, event_form: ChartEventForm
) -> dict[str, object]:
    chart = measure_chart(measure)  # type: ignore[arg-type]
    editable = can_edit(request, project)  # type: ignore[arg-type]
    spec = chart.spec() if chart.has_chart else None
    events = list(selectors.chart_events(measure=measure))  # type: ignore[arg-type]
    return {
        "page_title": measure.name,  # type: ignore[attr-defined]
        "active_nav": "projects",
        "breadcrumbs": measure_crumbs(project, (measure.name, "")),  # type: ignore[arg-type,attr-defined]
        "project": project,
        "measure": measure,
        "chart": chart,
        "spec_json": json_script(spec, f"chart-spec-{measure.pk}") if spec else "",  # type: ignore[attr-defined]
        "variation": presenters.variation_icon(chart.variation_icon),
        "assurance": presenters.assurance_icon(chart.assurance_icon),
        "table": chart.table(),
        "definition": presenters.definition_rows(measure),  # type: ignore[arg-type]
        "events": events,
        "pdsa_cycles": selectors.pdsa_studying(measure=measure),  # type: ignore[arg-type]
        "freeze": next((e for e in events if e.kind == EventKind.FREEZE), None),
        "event_form": event_form,
        "can_edit": editable,
        "type_tag": presenters.type_tag,
        "history": selectors.measure_history(measure=measure) if editable else None,  # type: ignore[arg-type]
        "library": library_presenters.follows_text(measure),  # type: ignore[arg-type]
        "measure_version": version_token(measure),
        "event_history": selectors.chart_event_history(measure=measure) if editable else None,  # type: ignore[arg-type]
        # The discussion thread (a comment may name a point: "what happened here?").
        **contributions.collect(
            "measures.measure_detail",
            measure=measure,
            project=project,
            periods=[
                d
                for d, y in zip(chart.series.periods, chart.series.y, strict=False)
                if y is not None
            ],
            viewer=request.user,
        ),
    }


@public_view
def measure_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project, measure = project_and_measure(request, slug, pk)
    return render(
        request,
        "measures/measure_detail.jinja",
        _detail_context(request, project, measure, ChartEventForm()),
    )


@public_view
@require_POST
def chart_event_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Record a new phase, a frozen baseline or an excluded point (kept in the history)."""
    project, measure = project_and_measure(request, slug, pk, EDIT)
    form = ChartEventForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.chart_event_add(
                actor=request.user,  # type: ignore[arg-type]
                measure=measure,
                kind=d["kind"],
                on=d.get("on"),
                points=d.get("points"),
                reason=d.get("reason") or "",
            )
        except services.MeasureError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                {
                    EventKind.REBASE: "The new phase has been added, with limits of its own.",
                    EventKind.FREEZE: "The baseline has been frozen.",
                    EventKind.EXCLUDE: "The point is now left out of the calculations.",
                }[EventKind(d["kind"])],
            )
            return redirect(measure.get_absolute_url() + "#decisions")
    response = render(
        request, "measures/measure_detail.jinja", _detail_context(request, project, measure, form)
    )
    return response


@public_view
@require_POST
def chart_event_remove(request: HttpRequest, slug: str, pk: int, event_pk: int) -> HttpResponse:
    _project, measure = project_and_measure(request, slug, pk, EDIT)
    event = found(selectors.chart_events(measure=measure).filter(pk=event_pk).first())
    services.chart_event_remove(actor=request.user, event=event)  # type: ignore[arg-type]
    messages.success(request, f"Removed: {event}.")
    return redirect(measure.get_absolute_url() + "#decisions")


def _filename(name: str, ext: str) -> str:
    return f"{slugify(name)[:60] or 'measure'}.{ext}"


@public_view
def chart_download(request: HttpRequest, slug: str, pk: int, fmt: str) -> HttpResponse:
    """The chart as SVG or PNG, rendered on the server from the page's own spec."""
    _project, measure = project_and_measure(request, slug, pk)
    chart = measure_chart(measure)
    if not chart.has_chart:
        return HttpResponse(
            "This measure has no chart yet.", status=404, content_type="text/plain; charset=utf-8"
        )
    spec = chart.spec(width=860, height=360)
    if fmt == "png":
        response = HttpResponse(rendering.png(spec), content_type="image/png")
    else:
        response = HttpResponse(rendering.svg(spec), content_type="image/svg+xml")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="{_filename(measure.name, fmt)}"'
    return response


@public_view
def measure_export(request: HttpRequest, slug: str, pk: int, fmt: str) -> HttpResponse:
    _project, measure = project_and_measure(request, slug, pk)
    points = list(selectors.measure_points(measure=measure))
    if fmt == "xlsx":
        body, ctype = exporting.measure_xlsx(measure, points), XLSX_CONTENT_TYPE
    else:
        body, ctype = exporting.measure_csv(measure, points), CSV_CONTENT_TYPE
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{_filename(measure.name, fmt)}"'
    return response


@public_view
def project_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    project = get_project(request, slug)
    measures = list(selectors.measure_list(project=project))
    # One query for every measure's points (was one per measure: issue 18's crawl).
    points = selectors.points_of_measures(measures=measures)
    data = [(m, points[m.pk]) for m in measures]
    if fmt == "xlsx":
        body, ctype = exporting.project_xlsx(data), XLSX_CONTENT_TYPE
    else:
        body, ctype = exporting.project_csv(data), CSV_CONTENT_TYPE
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(project.title + " measures", fmt)}"'
    )
    return response
