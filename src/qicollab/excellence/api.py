"""API of Learning from Excellence: the same selectors, services and rules as the pages.

A report the caller may not see is a 404; the reporter's name follows the anonymity rule;
the counts of an organisation are for its LfE leads (403 for its other people, 404 for
everyone else).
"""

# No "from __future__ import annotations": ninja reads the signatures at import time.

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema

from qicollab.accounts.models import Person
from qicollab.api.schemas import ErrorOut, FieldErrorsOut, InputSchema
from qicollab.core.http import found, signed_in
from qicollab.excellence import presenters, selectors, services
from qicollab.excellence.models import ExcellenceReport, WorkKind

router = Router(tags=["learning from excellence"])

# Every operation documents the same refusals (one 422 shape, decision 0009).
READ_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: FieldErrorsOut}
WRITE_ERRORS = READ_ERRORS


class ExcellenceRecipientOut(Schema):
    name: str
    kind: str


class ExcellenceReportOut(Schema):
    id: int
    organisation: str
    reporter: str
    anonymous: bool
    work_kind: str
    unit: str | None
    happened_on: date
    what_they_did: str
    why_excellent: str
    learning: str
    recipients: list[ExcellenceRecipientOut]
    themes: list[str]


def _out(viewer: Any, report: ExcellenceReport) -> dict[str, Any]:
    return {
        "id": report.pk,
        "organisation": report.organisation.slug,
        "reporter": presenters.reporter_label(viewer, report),
        "anonymous": report.anonymous,
        "work_kind": report.work_kind,
        "unit": report.unit.name if report.unit else None,
        "happened_on": report.happened_on,
        "what_they_did": report.what_they_did,
        "why_excellent": report.why_excellent,
        "learning": report.learning,
        "recipients": [
            {"name": r.name, "kind": "person" if r.person_id else "team"}
            for r in report.recipients.all()
        ],
        "themes": [t.name for t in report.themes.all()],
    }


@router.get("/reports", response={200: list[ExcellenceReportOut], **READ_ERRORS})
def report_list(request: HttpRequest, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """Excellence reports the caller may see, newest first.

    The same rule as the pages: the reporter, the recipients, managers told with consent,
    the organisation's LfE leads, and everyone in it once every recipient agreed to share.
    """
    viewer = signed_in(request)
    limit = max(1, min(limit, 200))
    offset = max(0, min(offset, 1_000_000))
    qs = selectors.with_detail(selectors.visible_reports(viewer=viewer))
    return [_out(viewer, r) for r in qs[offset : offset + limit]]


@router.get("/reports/{report_id}", response={200: ExcellenceReportOut, **READ_ERRORS})
def report_detail(request: HttpRequest, report_id: int) -> dict[str, Any]:
    """One excellence report; 404 when it does not exist for the caller."""
    viewer = signed_in(request)
    return _out(viewer, found(selectors.report_get(viewer=viewer, pk=report_id)))


class ExcellenceReportIn(InputSchema):
    organisation: str
    people: list[str] = []
    teams: list[str] = []
    work_kind: str = WorkKind.CLINICAL
    what_they_did: str = ""
    why_excellent: str = ""
    learning: str = ""
    unit: str | None = None
    happened_on: date | None = None
    anonymous: bool = False


@router.post("/reports", response={201: ExcellenceReportOut, **WRITE_ERRORS})
def report_create(request: HttpRequest, payload: ExcellenceReportIn) -> tuple[int, Any]:
    """Report excellence. ``people`` are email addresses of colleagues in the organisation,
    ``teams`` and ``unit`` unit slugs; a report without recipients, an empty "what" or "why"
    or patient identifiers in the text are refused (422, a message per field)."""
    viewer = signed_in(request)
    org = found(selectors.organisation_get(viewer=viewer, slug=payload.organisation))
    staff = selectors.colleagues(organisation=org)
    people = list(staff.filter(email__in=[e.lower() for e in payload.people]))
    known = {p.email.lower() for p in people}
    unknown = [e for e in payload.people if e.lower() not in known]
    units = selectors.units(organisation=org)
    teams = list(units.filter(slug__in=payload.teams))
    errors: dict[str | None, list[str]] = {}
    if unknown:
        errors["people"] = [f"No colleague at {org} has the email {', '.join(unknown)}."]
    if len(teams) != len(set(payload.teams)):
        errors["teams"] = [f"Use the slugs of teams of {org}."]
    unit = units.filter(slug=payload.unit).first() if payload.unit else None
    if payload.unit and unit is None:
        errors["unit"] = [f"Use the slug of a ward, team or department of {org}."]
    if errors:
        raise services.ExcellenceError(errors=errors)
    report = services.report_create(
        actor=viewer,
        data=services.ReportInput(
            organisation=org,
            people=people,
            teams=teams,
            work_kind=payload.work_kind,
            what_they_did=payload.what_they_did,
            why_excellent=payload.why_excellent,
            learning=payload.learning,
            unit=unit,
            happened_on=payload.happened_on,
            anonymous=payload.anonymous,
        ),
    )
    return 201, _out(viewer, found(selectors.report_get(viewer=viewer, pk=report.pk)))


class ExcellenceChoicesIn(InputSchema):
    keep: bool = True
    tell_manager: bool = False
    share_wider: bool = False
    line_manager: str | None = None


@router.post("/reports/{report_id}/choices", response={200: ExcellenceReportOut, **WRITE_ERRORS})
def report_choices(
    request: HttpRequest, report_id: int, payload: ExcellenceChoicesIn
) -> dict[str, Any]:
    """The recipient's choices: keep it, tell their line manager (by email address), share
    it more widely. Only a recipient (or a team's leader) may answer: others get 403."""
    viewer = signed_in(request)
    report = found(selectors.report_get(viewer=viewer, pk=report_id))
    rows = selectors.recipient_rows_for(viewer=viewer, report=report)
    if not rows:
        raise PermissionDenied("Only the recipients make these choices.")
    manager: Person | None = None
    if payload.line_manager:
        manager = (
            selectors.colleagues(organisation=report.organisation)
            .filter(email__iexact=payload.line_manager)
            .first()
        )
        if manager is None:
            raise services.ExcellenceError(
                f"No colleague at {report.organisation} has that email.", "line_manager"
            )
    for row in rows:
        services.recipient_respond(
            actor=viewer,
            recipient=row,
            consent=services.Consent(
                keep=payload.keep,
                tell_manager=payload.tell_manager,
                share_wider=payload.share_wider,
                line_manager=manager,
            ),
        )
    return _out(viewer, found(selectors.report_get(viewer=viewer, pk=report_id)))


class ExcellenceCountRowOut(Schema):
    label: str
    counts: list[int]
    total: int


class ExcellenceCountsOut(Schema):
    organisation: str
    months: list[date]
    per_month: list[int]
    by_theme: list[ExcellenceCountRowOut]
    by_unit: list[ExcellenceCountRowOut]


@router.get(
    "/organisations/{slug}/counts",
    response={200: ExcellenceCountsOut, **READ_ERRORS},
)
def organisation_counts(request: HttpRequest, slug: str, start: date, end: date) -> Any:
    """Reports per month, per theme and per ward, team or department: for the
    organisation's LfE leads (its other people get 403, everyone else 404)."""
    viewer = signed_in(request)
    org = found(selectors.organisation_get(viewer=viewer, slug=slug))
    if not viewer.has_perm("excellence.lead", org):
        raise PermissionDenied("Only the organisation's LfE leads see these counts.")
    if end < start:
        raise services.ExcellenceError("The end must be on or after the start.", "end")
    if (end - start).days > 3700:
        raise services.ExcellenceError("Ask for ten years at most.", "end")
    months = selectors.month_starts(start, end)[:60]
    monthly = selectors.monthly_counts(organisation_ids=[org.pk], start=start, end=end)
    per = monthly.get(org.pk)

    def rows(table: selectors.CountTable) -> list[dict[str, Any]]:
        return [{"label": lab, "counts": c, "total": t} for lab, c, t in table.rows]

    return {
        "organisation": org.slug,
        "months": months,
        "per_month": [per.get(m, 0) if per else 0 for m in months],
        "by_theme": rows(selectors.theme_table(organisation_ids=[org.pk], start=start, end=end)),
        "by_unit": rows(selectors.unit_table(organisation=org, start=start, end=end)),
    }
