"""Data entry: the grid that saves as you type, and imports from CSV and Excel."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from qicollab.measures import presenters, selectors, services, uploads
from qicollab.measures.forms import GridCell, ImportForm, read_grid_row
from qicollab.measures.importing import ImportResult, read_rows
from qicollab.measures.models import Measure
from qicollab.measures.periods import period_label
from qicollab.measures.spc_adapter import measure_shape
from qicollab.measures.views.common import EDIT, measure_crumbs, project_and_measure
from qicollab.projects.views.common import public_view


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return None


def _save_cell(
    request: HttpRequest, measure: Measure, cell: GridCell, *, as_you_type: bool = False
) -> bool:
    """Save one grid row if it changed; problems go on the cell. True when something was saved.

    While typing (htmx), half of a numerator/denominator pair is not an error yet: the
    person is about to type the other half.
    """
    values = read_grid_row(request.POST, cell)
    if values is None or cell.errors:
        return False
    if as_you_type and cell.uses_denominator:
        num, den = values.get("numerator"), values.get("denominator")
        if (num is None) != (den is None):
            cell.pending = f"Enter the {'denominator' if den is None else 'numerator'} to save."
            return False
    stored = (
        (
            (cell.point.numerator, cell.point.denominator, cell.point.note)
            if cell.uses_denominator
            else (cell.point.value, cell.point.note)
        )
        if cell.point is not None
        else ((None, None, "") if cell.uses_denominator else (None, ""))
    )
    typed = (
        (values.get("numerator"), values.get("denominator"), values.get("note", ""))
        if cell.uses_denominator
        else (values.get("value"), values.get("note", ""))
    )
    if typed == stored:
        return False
    try:
        cell.point = services.datapoint_save(
            actor=request.user,  # type: ignore[arg-type]
            measure=measure,
            period=cell.period,
            value=values.get("value"),
            numerator=values.get("numerator"),
            denominator=values.get("denominator"),
            note=values.get("note", ""),
        )
    except services.MeasureError as exc:
        cell.errors[exc.field if exc.field in cell.fields else cell.fields[0]] = str(exc)
        return False
    cell.typed.clear()
    cell.saved = True
    return True


@public_view
def data_grid(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The grid of periods. Without JavaScript it is one form saved with a button."""
    project, measure = project_and_measure(request, slug, pk, EDIT)
    before = _date(request.GET.get("before") or request.POST.get("before"))
    points = selectors.points_by_period(measure=measure)
    g = presenters.grid(measure, points, before=before)
    saved = 0
    if request.method == "POST":
        for cell in g.cells:
            saved += _save_cell(request, measure, cell)
        problems = [c for c in g.cells if c.errors]
        if not problems:
            messages.success(
                request,
                f"Saved {saved} period{'s' if saved != 1 else ''}."
                if saved
                else "Nothing had changed.",
            )
            url = request.path + (f"?before={before.isoformat()}" if before else "")
            return redirect(url)
    errors = [
        {"text": f"{c.label}: {msg}", "href": f"#{name}-{c.key}"}
        for c in g.cells
        for name, msg in c.errors.items()
    ]
    response = render(
        request,
        "measures/data_grid.jinja",
        {
            "page_title": f"Enter data: {measure.name}",
            "active_nav": "projects",
            "breadcrumbs": measure_crumbs(
                project, (measure.name, measure.get_absolute_url()), ("Enter data", "")
            ),
            "project": project,
            "measure": measure,
            "grid": g,
            "before": before,
            "errors": errors,
            "saved_count": saved,
        },
    )
    return response


@public_view
@require_POST
def data_cell(request: HttpRequest, slug: str, pk: int, period: str) -> HttpResponse:
    """Save one row of the grid as it is typed (htmx); answers with the row's status."""
    _project, measure = project_and_measure(request, slug, pk, EDIT)
    on = _date(period)
    if on is None:
        raise Http404
    point = measure.points.filter(period=on).first()
    cell = GridCell(on, period_label(on, measure.frequency), point, measure.uses_denominator)
    _save_cell(request, measure, cell, as_you_type=True)
    return render(request, "measures/_grid_status.jinja", {"cell": cell, "measure": measure})


# --- imports ------------------------------------------------------------------------------


def _preview_context(measure: Measure, result: ImportResult) -> dict[str, Any]:
    plan = None
    if result.ok:
        has_note = "note" in result.columns.values()
        points = [services.PointInput.from_row(r, has_note_column=has_note) for r in result.rows]
        plan = services.plan_points(measure=measure, points=points)
    return {"result": result, "plan": plan}


def _points(result: ImportResult) -> list[services.PointInput]:
    has_note = "note" in result.columns.values()
    return [services.PointInput.from_row(r, has_note_column=has_note) for r in result.rows]


@public_view
def data_import(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Upload a file, then see exactly what it would change before confirming."""
    project, measure = project_and_measure(request, slug, pk, EDIT)
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {
        "page_title": f"Import data: {measure.name}",
        "active_nav": "projects",
        "breadcrumbs": measure_crumbs(
            project, (measure.name, measure.get_absolute_url()), ("Import data", "")
        ),
        "project": project,
        "measure": measure,
        "form": form,
        "shape": measure_shape(measure),
    }
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        result = read_rows(data, upload.name, measure_shape(measure))
        context.update(_preview_context(measure, result))
        context["filename"] = upload.name
        if result.ok:
            context["token"] = uploads.keep(
                person_id=int(request.user.pk or 0),
                measure_id=measure.pk,
                filename=upload.name,
                data=data,
            )
        response = render(request, "measures/import_preview.jinja", context)
        return response
    response = render(request, "measures/import_form.jinja", context)
    return response


@public_view
@require_POST
def data_import_confirm(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project, measure = project_and_measure(request, slug, pk, EDIT)
    token = request.POST.get("token", "")
    filename = request.POST.get("filename", "upload")[:200]
    kept = uploads.load(token=token, person_id=int(request.user.pk or 0), measure_id=measure.pk)
    if kept is None:
        messages.error(
            request,
            "The uploaded file has expired or was already imported. "
            "Upload it again to see a fresh preview.",
        )
        return redirect("measures:data_import", project.slug, measure.pk)
    name, data = kept
    result = read_rows(data, name, measure_shape(measure))
    if not result.ok:  # cannot happen unless the measure's definition changed meanwhile
        messages.error(request, "The file no longer fits this measure. Upload it again.")
        return redirect("measures:data_import", project.slug, measure.pk)
    try:
        counts = services.points_import(
            actor=request.user,  # type: ignore[arg-type]
            measure=measure,
            points=_points(result),
            fingerprint=request.POST.get("fingerprint", ""),
            source=f"import of {filename}",
        )
    except services.ImportChanged as exc:
        context = {
            "page_title": f"Import data: {measure.name}",
            "active_nav": "projects",
            "breadcrumbs": measure_crumbs(
                project, (measure.name, measure.get_absolute_url()), ("Import data", "")
            ),
            "project": project,
            "measure": measure,
            "filename": filename,
            "token": token,
            "changed_message": str(exc),
            **_preview_context(measure, result),
        }
        response = render(request, "measures/import_preview.jinja", context)
        return response
    uploads.discard(token=token, person_id=int(request.user.pk or 0), measure_id=measure.pk)
    parts = [f"{counts['created']} new", f"{counts['updated']} changed"]
    if counts["events"]:
        parts.append(f"{counts['events']} chart decision{'s' if counts['events'] != 1 else ''}")
    messages.success(request, f"Imported {filename}: " + ", ".join(parts) + ".")
    return redirect(measure.get_absolute_url())
