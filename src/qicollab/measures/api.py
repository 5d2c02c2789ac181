"""API: measures, their data points, chart decisions, computed charts and bulk data pushes.

Each endpoint does what its page does, under the same permissions: reading a measure needs
``projects.view_project`` on its project (else 404 for projects you cannot see), writing
needs ``projects.change_project`` (403). Data arrives through the same checks as the
grid and file imports, and bulk pushes are all-or-nothing like an import.
"""

# No "from __future__ import annotations": ninja reads the signatures at import time.

import json
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from qicollab.api.auth import public_auth
from qicollab.api.errors import valid
from qicollab.api.schemas import (
    MAX_INT,
    ErrorOut,
    FieldErrorsOut,
    InputSchema,
    UnsafeInput,
    unsafe_text,
)
from qicollab.api.versions import required_version
from qicollab.core.http import require
from qicollab.core.services import EditConflict, version_token
from qicollab.measures import selectors, services
from qicollab.measures.forms import ChartEventForm, MeasureForm
from qicollab.measures.library import presenters as library_presenters
from qicollab.measures.library import selectors as library_selectors
from qicollab.measures.library import services as library_services
from qicollab.measures.library.forms import LibraryMeasureForm
from qicollab.measures.models import ChartEvent, DataPoint, Measure
from qicollab.measures.spc_adapter import measure_chart
from qicollab.projects.api.common import project_or_404
from qicollab.projects.models import Project
from qicollab.projects.selectors import visible_projects

router = Router(tags=["measures"])

EDIT = "projects.change_project"
#: The most points one bulk push may carry, and the largest body it may send.
MAX_BULK_POINTS = 500_000
MAX_BULK_BYTES = 64 * 1024 * 1024


# --- schemas -----------------------------------------------------------------------------


class MeasureOut(Schema):
    id: int
    project: str = Field(description="The project's slug")
    name: str
    measure_type: str = Field(description="outcome, process or balancing")
    is_main_outcome: bool
    value_type: str = Field(
        description="count, percentage, rate, measurement, days_between or cases_between"
    )
    numerator_definition: str
    denominator_definition: str
    inclusions: str
    exclusions: str
    data_source: str
    frequency: str = Field(description="daily, weekly, monthly or quarterly")
    week_start: int = Field(description="Weekly measures: 0 = Monday … 6 = Sunday")
    unit: str
    rate_multiplier: int
    chart_type: str = Field(description="run, i, p, pp, u, up, c, g or t")
    direction: str = Field(description="increase, decrease or neutral")
    target: float | None
    owner: int | None
    version: str = Field(description="Send back as loaded_version to detect concurrent edits")
    url: str


class MeasureIn(InputSchema):
    name: str
    measure_type: str = "process"
    is_main_outcome: bool = False
    value_type: str = "count"
    numerator_definition: str = ""
    denominator_definition: str = ""
    inclusions: str = ""
    exclusions: str = ""
    data_source: str = ""
    frequency: str = "monthly"
    week_start: int = 0
    unit: str = ""
    rate_multiplier: int = 1
    chart_type: str = Field("", description="Empty: chosen from the value type")
    direction: str = "increase"
    target: float | None = None
    owner: int | None = None


class MeasurePatchIn(InputSchema):
    name: str | None = None
    measure_type: str | None = None
    is_main_outcome: bool | None = None
    value_type: str | None = None
    numerator_definition: str | None = None
    denominator_definition: str | None = None
    inclusions: str | None = None
    exclusions: str | None = None
    data_source: str | None = None
    frequency: str | None = None
    week_start: int | None = None
    unit: str | None = None
    rate_multiplier: int | None = None
    chart_type: str | None = None
    direction: str | None = None
    target: float | None = None
    owner: int | None = None
    loaded_version: str = Field(
        "",
        description="The `version` you read (or send it as an If-Match header). Required: "
        "without it the answer is 428; if the measure changed since, 409.",
    )


class PointOut(Schema):
    period: date
    value: float | None
    numerator: float | None
    denominator: float | None
    note: str


class EventOut(Schema):
    id: int
    kind: str = Field(description="rebase (new phase), freeze (baseline) or exclude")
    on: date | None
    points: int | None
    reason: str


class EventIn(InputSchema):
    kind: str
    on: date | None = None
    points: int | None = None
    reason: str = ""


class ChartOut(Schema):
    measure: int
    chart_type: str
    summary: str
    assurance: str
    message: str
    variation_icon: str | None
    assurance_icon: str | None
    result: dict[str, Any] | None = Field(
        description="The SPC engine's JSON: points (x, y, cl, lcl, ucl, lcl_2s, ucl_2s, phase, "
        "excluded, rules, class, side), runs and the icons. Values in engine units "
        "(proportions 0-1, rates per unit)."
    )
    spec: dict[str, Any] | None = Field(None, description="The Vega-Lite spec, with ?spec=true")


class PushOut(Schema):
    created: int
    updated: int
    unchanged: int
    dry_run: bool


BULK_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["points"],
                    "properties": {
                        "dry_run": {
                            "type": "boolean",
                            "default": False,
                            "description": "Validate and count only; write nothing.",
                        },
                        "points": {
                            "type": "array",
                            "maxItems": MAX_BULK_POINTS,
                            "items": {
                                "type": "object",
                                "required": ["period"],
                                "properties": {
                                    "measure": {
                                        "type": "integer",
                                        "description": "Measure id (bulk endpoint only)",
                                    },
                                    "period": {"type": "string", "format": "date"},
                                    "value": {"type": "number", "nullable": True},
                                    "numerator": {"type": "number", "nullable": True},
                                    "denominator": {"type": "number", "nullable": True},
                                    "note": {
                                        "type": "string",
                                        "nullable": True,
                                        "description": "Omit to keep the stored note",
                                    },
                                },
                            },
                        },
                    },
                }
            }
        },
    }
}


# --- helpers -----------------------------------------------------------------------------


def measure_out(m: Measure) -> dict[str, Any]:
    return {
        "id": m.pk,
        "project": m.project.slug,
        "name": m.name,
        "measure_type": m.measure_type,
        "is_main_outcome": m.is_main_outcome,
        "value_type": m.value_type,
        "numerator_definition": m.numerator_definition,
        "denominator_definition": m.denominator_definition,
        "inclusions": m.inclusions,
        "exclusions": m.exclusions,
        "data_source": m.data_source,
        "frequency": m.frequency,
        "week_start": m.week_start,
        "unit": m.unit,
        "rate_multiplier": m.rate_multiplier,
        "chart_type": m.chart_type,
        "direction": m.direction,
        "target": m.target,
        "owner": m.owner_id,
        "version": version_token(m),
        "url": m.get_absolute_url(),
    }


def measure_or_404(request: HttpRequest, pk: int, perm: str | None = None) -> Measure:
    measure = selectors.visible_measures(viewer=request.user).filter(pk=pk).first()
    if measure is None:
        raise HttpError(404, f"There is no measure {pk} that you can see.")
    if perm:
        require(request.user, perm, measure.project)
    return measure


def _team(project: Project) -> Any:
    from qicollab.accounts.models import Person

    return Person.objects.filter(project_memberships__project=project)


def _form_data(measure: Measure | None, changes: dict[str, Any]) -> dict[str, Any]:
    """The definition form's data: the stored definition overlaid with the changes."""
    data: dict[str, Any] = {}
    if measure is not None:
        for name in MeasureForm.Meta.fields:
            value = getattr(measure, name + "_id" if name == "owner" else name)
            data[name] = "" if value is None else value
    for name, value in changes.items():
        data[name] = "" if value is None else value
    if not data.get("is_main_outcome"):
        data.pop("is_main_outcome", None)  # an unticked box is absent from form data
    return data


# --- measures ----------------------------------------------------------------------------


@router.get("/projects/{slug}/measures", response=list[MeasureOut], auth=public_auth)
def list_measures(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    """The project's family of measures."""
    project = project_or_404(request, slug)
    return [
        measure_out(m) for m in selectors.measure_list(project=project).select_related("project")
    ]


@router.post("/projects/{slug}/measures", response={201: MeasureOut})
def create_measure(request: HttpRequest, slug: str, body: MeasureIn) -> tuple[int, dict[str, Any]]:
    """Add a measure with its operational definition (validated as on the page)."""
    project = project_or_404(request, slug, EDIT)
    form = MeasureForm(_form_data(None, body.dict()), team=_team(project))
    data = valid(form)
    measure = services.measure_create(actor=request.user, project=project, data=data)  # type: ignore[arg-type]
    return 201, measure_out(measure)


@router.get("/measures", response=list[MeasureOut], auth=public_auth)
def list_visible_measures(request: HttpRequest, project: str = "") -> list[dict[str, Any]]:
    """Every measure you can see, optionally of one project (its slug)."""
    qs = selectors.visible_measures(viewer=request.user).order_by("project__slug", "order", "id")
    if project:
        qs = qs.filter(project__slug=project)
    return [measure_out(m) for m in qs]


@router.get("/measures/{pk}", response=MeasureOut, auth=public_auth)
def get_measure(request: HttpRequest, pk: int) -> dict[str, Any]:
    return measure_out(measure_or_404(request, pk))


@router.patch("/measures/{pk}", response={200: MeasureOut, 409: dict[str, Any]})
def update_measure(request: HttpRequest, pk: int, body: MeasurePatchIn) -> Any:
    """Change the definition. Send ``loaded_version`` to be told (409) of a concurrent edit."""
    measure = measure_or_404(request, pk, EDIT)
    changes = body.dict(exclude_unset=True)
    loaded = required_version(request, changes.pop("loaded_version", ""), measure)
    form = MeasureForm(_form_data(measure, changes), instance=measure, team=_team(measure.project))
    data = valid(form)
    try:
        services.measure_update(
            actor=request.user,  # type: ignore[arg-type]
            measure=Measure.objects.get(pk=measure.pk),
            data=data,
            loaded_version=loaded,
        )
    except EditConflict as exc:
        return 409, {"detail": str(exc), "current": measure_out(exc.current)}  # type: ignore[arg-type]
    return 200, measure_out(Measure.objects.select_related("project").get(pk=pk))


@router.delete("/measures/{pk}", response={204: None})
def delete_measure(request: HttpRequest, pk: int) -> tuple[int, None]:
    measure = measure_or_404(request, pk, EDIT)
    services.measure_delete(actor=request.user, measure=measure)  # type: ignore[arg-type]
    return 204, None


# --- data --------------------------------------------------------------------------------


@router.get("/measures/{pk}/points", response=list[PointOut], auth=public_auth)
def list_points(request: HttpRequest, pk: int) -> list[DataPoint]:
    measure = measure_or_404(request, pk)
    return list(selectors.measure_points(measure=measure))


def _read_push(request: HttpRequest) -> tuple[list[dict[str, Any]], bool]:
    """The JSON body of a push, read from the stream with our own size limit.

    Django's general body limit (a few MB) protects form posts; a data warehouse feed of
    hundreds of thousands of points is larger, so pushes get a higher limit of their own.
    """
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > MAX_BULK_BYTES:
        raise HttpError(
            413,
            f"The request is larger than {MAX_BULK_BYTES // 2**20} MB. "
            "Send the points in several requests.",
        )
    try:
        body = json.loads(request.read(MAX_BULK_BYTES + 1) or b"{}")
    except (ValueError, UnicodeDecodeError) as exc:
        raise HttpError(400, f"The body is not valid JSON: {exc}") from exc
    if not isinstance(body, dict) or not isinstance(body.get("points"), list):
        raise HttpError(422, "Send a JSON object with a 'points' list.")
    points = body["points"]
    if len(points) > MAX_BULK_POINTS:
        raise HttpError(422, f"At most {MAX_BULK_POINTS:,} points can be sent in one request.")
    if not all(isinstance(p, dict) for p in points):
        raise HttpError(422, "Each point must be a JSON object.")
    dry_run = body.get("dry_run", False)
    if not isinstance(dry_run, bool):
        raise HttpError(422, "'dry_run' must be true or false.")
    errors = unsafe_text(body, ("body",))
    if errors:
        raise UnsafeInput(errors)
    for i, p in enumerate(points):
        _check_point_shape(i, p)
    return points, dry_run


def _check_point_shape(i: int, point: dict[str, Any]) -> None:
    """Refuse a point whose fields have the wrong JSON type, before any value is used.

    The checks on values (dates on the grid, numbers in range) are the import's, in
    ``services.validate_push``; this only makes sure they receive what they expect.
    """
    mid = point.get("measure")
    if "measure" in point and (
        not isinstance(mid, int) or isinstance(mid, bool) or not 1 <= mid <= MAX_INT
    ):
        raise HttpError(422, f"Point {i}: 'measure' must be a measure id (a positive integer).")
    if not isinstance(point.get("period"), str):
        raise HttpError(422, f"Point {i}: 'period' must be a date as text, YYYY-MM-DD.")
    for name in ("value", "numerator", "denominator"):
        # Text is allowed through: the import's checks word "not a number" per point.
        if isinstance(point.get(name), bool | dict | list):
            raise HttpError(422, f"Point {i}: '{name}' must be a number or null.")


def _push(
    request: HttpRequest, measures: dict[int, Measure], points: list[dict[str, Any]], dry_run: bool
) -> Any:
    valid, errors = services.validate_push(measures, points)
    if errors:
        return 422, {
            "detail": f"Nothing was saved: {len(errors):,} point"
            f"{'s have' if len(errors) != 1 else ' has'} a problem.",
            "error_count": len(errors),
            "errors": [e.as_dict() for e in errors[:1000]],
        }
    if dry_run:
        totals = {"created": 0, "updated": 0, "unchanged": 0}
        for mid, items in valid.items():
            counts = services.plan_points(measure=measures[mid], points=items).counts
            totals["created"] += counts["new"]
            totals["updated"] += counts["changed"]
            totals["unchanged"] += counts["unchanged"]
        return 200, {**totals, "dry_run": True}
    counts = services.points_push(actor=request.user, measures=measures, points=valid)  # type: ignore[arg-type]
    return 200, {
        "created": counts["created"],
        "updated": counts["updated"],
        "unchanged": counts["unchanged"],
        "dry_run": False,
    }


@router.put(
    "/measures/{pk}/points", response={200: PushOut, 422: dict[str, Any]}, openapi_extra=BULK_BODY
)
def push_points(request: HttpRequest, pk: int) -> Any:
    """Create or update many periods of one measure, all or nothing.

    Body: ``{"points": [{"period": "2025-03-01", "value": 12}, …], "dry_run": false}``
    (``numerator`` and ``denominator`` for percentages and rates). Periods not sent are
    left alone; ``null`` values record a period with no data; an omitted ``note`` keeps
    the stored note. Every point is checked like an import row; if any is wrong, nothing
    is saved and the answer (422) lists the problems with each point's index.
    """
    measure = measure_or_404(request, pk, EDIT)
    points, dry_run = _read_push(request)
    for p in points:
        p.setdefault("measure", measure.pk)
        if p["measure"] != measure.pk:
            raise HttpError(422, "Points sent to one measure cannot name another measure.")
    return _push(request, {measure.pk: measure}, points, dry_run)


@router.post(
    "/measures/points/bulk", response={200: PushOut, 422: dict[str, Any]}, openapi_extra=BULK_BODY
)
def push_bulk(request: HttpRequest) -> Any:
    """Push data for many measures at once (a data-warehouse feed), all or nothing.

    Each point names its ``measure`` (id). You must be able to edit every measure named.
    """
    points, dry_run = _read_push(request)
    ids = {p.get("measure") for p in points}
    measures = {
        m.pk: m
        for m in Measure.objects.filter(
            pk__in=[i for i in ids if isinstance(i, int)],
            project__in=visible_projects(viewer=request.user),
        ).select_related("project")
        if request.user.has_perm(EDIT, m.project)
    }
    return _push(request, measures, points, dry_run)


# --- charts and decisions ----------------------------------------------------------------


@router.get("/measures/{pk}/chart", response=ChartOut, auth=public_auth)
def get_chart(request: HttpRequest, pk: int, spec: bool = False) -> dict[str, Any]:
    """The computed SPC chart: the engine's result, the summary sentence and the icons."""
    measure = measure_or_404(request, pk)
    chart = measure_chart(measure)
    return {
        "measure": measure.pk,
        "chart_type": chart.meta.chart_type,
        "summary": chart.summary,
        "assurance": chart.assurance,
        "message": chart.message,
        "variation_icon": chart.variation_icon,
        "assurance_icon": chart.assurance_icon,
        "result": chart.result,
        "spec": chart.spec() if spec and chart.has_chart else None,
    }


@router.get("/measures/{pk}/events", response=list[EventOut], auth=public_auth)
def list_events(request: HttpRequest, pk: int) -> list[ChartEvent]:
    return list(selectors.chart_events(measure=measure_or_404(request, pk)))


@router.post("/measures/{pk}/events", response={201: EventOut})
def add_event(request: HttpRequest, pk: int, body: EventIn) -> tuple[int, ChartEvent]:
    """Record a new phase (``rebase`` with ``on``), a frozen baseline (``freeze`` with
    ``points``) or an excluded point (``exclude`` with ``on`` and a ``reason``)."""
    measure = measure_or_404(request, pk, EDIT)
    form = ChartEventForm({k: ("" if v is None else v) for k, v in body.dict().items()})
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    d = form.cleaned_data
    event = services.chart_event_add(
        actor=request.user,  # type: ignore[arg-type]
        measure=measure,
        kind=d["kind"],
        on=d.get("on"),
        points=d.get("points"),
        reason=d.get("reason") or "",
    )
    return 201, event


@router.delete("/measures/{pk}/events/{event_pk}", response={204: None})
def remove_event(request: HttpRequest, pk: int, event_pk: int) -> tuple[int, None]:
    measure = measure_or_404(request, pk, EDIT)
    event = selectors.chart_events(measure=measure).filter(pk=event_pk).first()
    if event is None:
        raise HttpError(404, "There is no such decision on this measure.")
    services.chart_event_remove(actor=request.user, event=event)  # type: ignore[arg-type]
    return 204, None


# --- the measure library -----------------------------------------------------------------
# Same permissions as the pages (measures.rules): members and coordinators of the
# collaborative read its library and the cross-site results; leads, faculty and national
# admins curate it; anyone who may edit a project of the collaborative uses it.

LIBRARY = ["measure library"]
READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: FieldErrorsOut,
}


class LibraryMeasureOut(Schema):
    id: int
    collaborative: str = Field(description="The collaborative's slug")
    name: str
    description: str
    measure_type: str
    value_type: str
    numerator_definition: str
    denominator_definition: str
    inclusions: str
    exclusions: str
    data_source: str
    frequency: str
    unit: str
    rate_multiplier: int
    chart_type: str
    direction: str
    target: float | None
    definition_version: int = Field(description="The definition's version number (1, 2, …)")
    version: str = Field(description="Send back as `version` (or If-Match) when changing it")
    url: str


class LibraryMeasureIn(InputSchema):
    name: str
    description: str = ""
    measure_type: str = "outcome"
    value_type: str = "count"
    numerator_definition: str = ""
    denominator_definition: str = ""
    inclusions: str = ""
    exclusions: str = ""
    data_source: str = ""
    frequency: str = "monthly"
    unit: str = ""
    rate_multiplier: int = 1
    chart_type: str = Field("", description="Empty: chosen from the value type")
    direction: str = "increase"
    target: float | None = None
    change_note: str = ""


class LibraryMeasurePatchIn(InputSchema):
    name: str | None = None
    description: str | None = None
    measure_type: str | None = None
    value_type: str | None = None
    numerator_definition: str | None = None
    denominator_definition: str | None = None
    inclusions: str | None = None
    exclusions: str | None = None
    data_source: str | None = None
    frequency: str | None = None
    unit: str | None = None
    rate_multiplier: int | None = None
    chart_type: str | None = None
    direction: str | None = None
    target: float | None = None
    change_note: str = Field("", description="Required when the definition changes")
    version: str = Field("", description="The `version` you read (or an If-Match header)")


class LibraryVersionOut(Schema):
    number: int
    definition: dict[str, Any]
    change_note: str
    created_at: Any
    created_by: str | None


class LibraryUseIn(InputSchema):
    project: str = Field(description="The slug of a project of the same collaborative")


class CrossSiteUnitOut(Schema):
    site: str = Field(description="The site's name, or 'Unnamed site N' if you cannot see it")
    named: bool
    measure: int | None = Field(description="The site's measure id (only for named sites)")
    numerator: float
    denominator: float
    value: float = Field(description="In display units (percent, or per rate_multiplier)")
    z: float
    lower_95: float
    upper_95: float
    lower_998: float
    upper_998: float
    position: str = Field(
        description="above_998, above_95, within, below_95 or below_998 (against the limits)"
    )


class CrossSiteSiteOut(Schema):
    site: str
    named: bool
    measure: int | None
    summary: str
    variation_icon: str | None
    assurance_icon: str | None


class CrossSiteOut(Schema):
    library_measure: int
    latest_period: date | None
    kind: str | None = Field(description="proportion or rate (None: no funnel plot)")
    target: float | None = Field(description="The pooled value, in display units")
    phi: float | None = Field(description="Dispersion ratio (winsorised z-scores)")
    tau2: float | None = Field(description="Between-site variance, on the transformed scale")
    adjusted: bool = Field(description="Whether the limits are widened for overdispersion")
    summary: str
    sites: list[CrossSiteSiteOut]
    funnel: list[CrossSiteUnitOut]


def library_out(lm: Any) -> dict[str, Any]:
    return {
        "id": lm.pk,
        "collaborative": lm.collaborative.slug,
        **{name: getattr(lm, name) for name in LIBRARY_OUT_FIELDS},
        "definition_version": lm.version,
        "version": version_token(lm),
        "url": lm.get_absolute_url(),
    }


LIBRARY_OUT_FIELDS = (
    "name",
    "description",
    "measure_type",
    "value_type",
    "numerator_definition",
    "denominator_definition",
    "inclusions",
    "exclusions",
    "data_source",
    "frequency",
    "unit",
    "rate_multiplier",
    "chart_type",
    "direction",
    "target",
)


def library_or_404(request: HttpRequest, pk: int) -> Any:
    lm = library_selectors.library_get(viewer=request.user, pk=pk)
    if lm is None:
        raise HttpError(404, f"There is no library measure {pk} that you can see.")
    return lm


def _library_form(lm: Any, changes: dict[str, Any]) -> LibraryMeasureForm:
    data: dict[str, Any] = {}
    if lm is not None:
        for name in LibraryMeasureForm.Meta.fields:
            value = getattr(lm, name)
            data[name] = "" if value is None else value
    for name, value in changes.items():
        data[name] = "" if value is None else value
    return LibraryMeasureForm(data, instance=lm)


@router.get(
    "/measure-library",
    response={200: list[LibraryMeasureOut], **READ_ERRORS},
    tags=LIBRARY,
    summary="List the measure library",
    description="Every library definition you can see (members and coordinators of its "
    "collaborative), optionally of one collaborative (its slug).",
)
def list_library(request: HttpRequest, collaborative: str = "") -> list[dict[str, Any]]:
    qs = library_selectors.visible_library(viewer=request.user).order_by("name")
    if collaborative:
        qs = qs.filter(collaborative__slug=collaborative)
    return [library_out(lm) for lm in qs]


@router.post(
    "/measure-library",
    response={201: LibraryMeasureOut, **WRITE_ERRORS},
    tags=LIBRARY,
    summary="Add a definition to a collaborative's library",
    description="For the collaborative's leads, faculty and national admins. The definition "
    "is checked as on the page (a chart must suit the value type). Query `collaborative`: "
    "its slug.",
)
def create_library_measure(
    request: HttpRequest, collaborative: str, body: LibraryMeasureIn
) -> tuple[int, dict[str, Any]]:
    collab = library_selectors.library_collaborative(viewer=request.user, slug=collaborative)
    if collab is None:
        raise HttpError(404, f"There is no collaborative '{collaborative}' that you can see.")
    require(request.user, "measures.add_librarymeasure", collab)
    data = valid(_library_form(None, body.dict()))
    note = data.pop("change_note", "")
    lm = library_services.library_measure_create(
        actor=request.user,  # type: ignore[arg-type]
        collaborative=collab,
        data=data,
        change_note=note,
    )
    return 201, library_out(lm)


@router.get(
    "/measure-library/{pk}",
    response={200: LibraryMeasureOut, **READ_ERRORS},
    tags=LIBRARY,
    summary="Read a library definition",
    description="The current version of one definition of the measure library.",
)
def get_library_measure(request: HttpRequest, pk: int) -> dict[str, Any]:
    return library_out(library_or_404(request, pk))


@router.patch(
    "/measure-library/{pk}",
    response={200: LibraryMeasureOut, 409: dict[str, Any], 428: ErrorOut, **WRITE_ERRORS},
    tags=LIBRARY,
    summary="Change a library definition (a new version)",
    description="For curators. A change to the definition makes a new version and needs a "
    "`change_note`; the description alone does not. Send the `version` you read: without "
    "it 428, if it changed since 409.",
)
def update_library_measure(request: HttpRequest, pk: int, body: LibraryMeasurePatchIn) -> Any:
    lm = library_or_404(request, pk)
    require(request.user, "measures.change_librarymeasure", lm)
    changes = body.dict(exclude_unset=True)
    loaded = required_version(request, changes.pop("version", ""), lm)
    note = changes.pop("change_note", "")
    data = valid(_library_form(lm, changes))
    data.pop("change_note", None)
    try:
        library_services.library_measure_update(
            actor=request.user,  # type: ignore[arg-type]
            library_measure=library_selectors.library_get(viewer=request.user, pk=pk),  # type: ignore[arg-type]
            data=data,
            change_note=note,
            loaded_version=loaded,
        )
    except EditConflict as exc:
        return 409, {"detail": str(exc), "current": library_out(exc.current)}
    return 200, library_out(library_or_404(request, pk))


@router.get(
    "/measure-library/{pk}/versions",
    response={200: list[LibraryVersionOut], **READ_ERRORS},
    tags=LIBRARY,
    summary="List a definition's versions",
    description="Every version of the definition, newest first, with what changed and who "
    "changed it.",
)
def list_library_versions(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    lm = library_or_404(request, pk)
    return [
        {
            "number": v.number,
            "definition": v.definition,
            "change_note": v.change_note,
            "created_at": v.created_at,
            "created_by": v.created_by.full_name if v.created_by else None,
        }
        for v in library_selectors.library_versions(library_measure=lm)
    ]


@router.post(
    "/measure-library/{pk}/use",
    response={201: MeasureOut, **WRITE_ERRORS},
    tags=LIBRARY,
    summary="Create a project's measure from a definition",
    description="For anyone who may edit the project. The measure copies the definition's "
    "current version and records it; the project must belong to the same collaborative.",
)
def use_library_measure(
    request: HttpRequest, pk: int, body: LibraryUseIn
) -> tuple[int, dict[str, Any]]:
    lm = library_or_404(request, pk)
    project = project_or_404(request, body.project, EDIT)
    measure = library_services.measure_from_library(
        actor=request.user,  # type: ignore[arg-type]
        project=project,
        library_measure=lm,
    )
    return 201, measure_out(measure)


@router.get(
    "/measure-library/{pk}/cross-site",
    response={200: CrossSiteOut, **READ_ERRORS},
    tags=LIBRARY,
    summary="Compare a library measure across sites",
    description="Every site's chart summary and icons, and the funnel plot of the latest "
    "period (95% and 99.8% limits; `overdispersion=true` widens them as Spiegelhalter "
    "2005). Sites you may not see are unnamed.",
)
def cross_site_results(
    request: HttpRequest, pk: int, overdispersion: bool = False
) -> dict[str, Any]:
    lm = library_or_404(request, pk)
    view = library_presenters.cross_site(
        viewer=request.user, library_measure=lm, overdispersion=overdispersion
    )
    f = view.funnel
    scale = view.meta.scale
    return {
        "library_measure": lm.pk,
        "latest_period": view.latest_period,
        "kind": f.kind if f else None,
        "target": f.target * scale if f else None,
        "phi": f.phi if f else None,
        "tau2": f.tau2 if f else None,
        "adjusted": bool(f and f.adjusted),
        "summary": view.summary,
        "sites": [
            {
                "site": s.label,
                "named": s.named,
                "measure": s.measure.pk if s.named else None,
                "summary": s.chart.summary,
                "variation_icon": s.chart.variation_icon,
                "assurance_icon": s.chart.assurance_icon,
            }
            for s in view.sites
        ],
        "funnel": [
            {
                "site": s.label,
                "named": s.named,
                "measure": s.measure.pk if s.named else None,
                "numerator": u.numerator,
                "denominator": u.denominator,
                "value": u.value * scale,
                "z": u.z,
                "lower_95": u.lower_95 * scale,
                "upper_95": u.upper_95 * scale,
                "lower_998": u.lower_998 * scale,
                "upper_998": u.upper_998 * scale,
                "position": u.position,
            }
            for s, u in zip(view.funnel_sites, f.units if f else (), strict=True)
        ],
    }
