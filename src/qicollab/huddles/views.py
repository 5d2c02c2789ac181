"""Huddle pages: the unit's huddle home, recording a huddle or a harm event, actions, exports.

Access (see :mod:`qicollab.huddles.access`): a unit outside the viewer's scope is a 404; a
collaborative coordinator sees the counts and charts, and gets a 403 on anything with free
text or references.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qicollab.core.forms import add_service_error
from qicollab.core.http import AuthedHttpRequest, found
from qicollab.huddles import exports, presenters, selectors, services
from qicollab.huddles.access import FULL, Access
from qicollab.huddles.forms import HarmEventForm, HuddleForm, guess_shift
from qicollab.huddles.models import HarmCategory
from qicollab.organisations.models import Unit
from qicollab.reports.tabular import CSV_CONTENT_TYPE

HOME = ("Safety huddles", "/huddles/")


def _unit(request: AuthedHttpRequest, pk: int, *, full: bool = False) -> tuple[Unit, Access]:
    unit, access = found(selectors.unit_get(viewer=request.user, pk=pk))
    if full and access != FULL:
        raise PermissionDenied("Only the unit's staff and safety leads see this.")
    return unit, access


def _categories(request: AuthedHttpRequest, unit: Unit) -> list[HarmCategory]:
    # The defaults are created the first time an organisation's unit is opened.
    cats = services.harm_categories_ensure(actor=request.user, organisation=unit.organisation)
    return [c for c in cats if c.active]


def _crumbs(unit: Unit, here: str = "") -> list[tuple[str, str]]:
    out = [HOME, (unit.name, reverse("huddles:unit", args=[unit.pk]) if here else "")]
    if here:
        out.append((here, ""))
    return out


def _month(raw: str | None, today: dt.date) -> tuple[int, int]:
    """The month asked for (``YYYY-MM``), or this month when absent, bad or in the future."""
    try:
        year, month = (int(x) for x in (raw or "").split("-"))
        asked = dt.date(year, month, 1)
    except ValueError:
        return today.year, today.month
    if asked > today or year < 2000:
        return today.year, today.month
    return year, month


@login_required
@require_GET
def index(request: AuthedHttpRequest) -> HttpResponse:
    """The units whose huddles the viewer records or follows."""
    return render(
        request,
        "huddles/index.jinja",
        {
            "page_title": "Safety huddles",
            "active_nav": "huddles",
            "breadcrumbs": [(HOME[0], "")],
            "units": selectors.unit_list(viewer=request.user),
        },
    )


@login_required
@require_GET
def unit_home(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The unit's huddle home: days since the last event, the safety cross, the charts."""
    unit, access = _unit(request, pk)
    today = services.today()
    cats = _categories(request, unit)
    events = selectors.event_rows(unit=unit)
    days = selectors.huddle_dates(unit=unit)
    started = days[0] if days else None
    with_events = {e.category_id for e in events}
    chosen = next((c for c in cats if c.code == request.GET.get("category")), None) or next(
        (c for c in cats if c.pk in with_events), cats[0] if cats else None
    )
    year, month = _month(request.GET.get("month"), today)
    cross = presenters.safety_cross(
        unit=unit,
        year=year,
        month=month,
        events=events,
        huddle_days=set(days),
        names={c.pk: c.name for c in cats},
        today=today,
    )
    charts: list[presenters.UnitChart] = []
    avoided = None
    if chosen is not None:
        series = presenters.rate_series(unit=unit, category=chosen, events=events, today=today)
        rate = presenters.rate_chart(category=chosen, series=series, started=started)
        charts = [presenters.g_chart(category=chosen, events=events, started=started), rate]
        avoided = presenters.avoided_view(
            category=chosen, series=series, chart=rate, started=started
        )
    charts.append(presenters.compliance_chart(huddle_days=days, started=started, today=today))
    full = access == FULL
    return render(
        request,
        "huddles/unit.jinja",
        {
            "page_title": f"{unit.name}: safety huddle",
            "active_nav": "huddles",
            "breadcrumbs": _crumbs(unit),
            "unit": unit,
            "full": full,
            "counters": presenters.counters(unit=unit, categories=cats, events=events, today=today),
            "categories": cats,
            "chosen": chosen,
            "cross": cross,
            "charts": charts,
            "avoided": avoided,
            "started": started,
            "huddled_today": bool(days and days[-1] == today),
            "recent": presenters.huddle_lines(selectors.recent_huddles(unit=unit, limit=5))
            if full
            else [],
            "open_actions": selectors.open_actions(unit=unit) if full else [],
            "events": selectors.harm_events(unit=unit, limit=5) if full else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def huddle_record(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Record a huddle: a phone-sized form, open actions carried forward to tick off."""
    unit, _ = _unit(request, pk, full=True)
    cats = _categories(request, unit)
    open_actions = selectors.open_actions(unit=unit)
    form = HuddleForm(
        request.POST or None,
        categories=cats,
        open_actions=open_actions,
        initial={
            "held_on": services.today(),
            "shift": guess_shift(),
            "started_at": timezone.localtime().strftime("%H:%M"),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.huddle_create(actor=request.user, unit=unit, data=form.to_input())
        except services.HuddleError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Huddle recorded.")
            return HttpResponseRedirect(reverse("huddles:unit", args=[unit.pk]))
    return render(
        request,
        "huddles/huddle_form.jinja",
        {
            "page_title": f"Record a huddle: {unit.name}",
            "active_nav": "huddles",
            "breadcrumbs": _crumbs(unit, "Record a huddle"),
            "unit": unit,
            "form": form,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def harm_event_record(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Record a harm event (a fall, a pressure ulcer…); the counter restarts."""
    unit, _ = _unit(request, pk, full=True)
    cats = _categories(request, unit)
    initial: dict[str, object] = {"occurred_on": services.today()}
    asked = request.GET.get("category")
    match = next((c for c in cats if c.code == asked), None)
    if match is not None:
        initial["category"] = str(match.pk)
    form = HarmEventForm(request.POST or None, categories=cats, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            event = services.harm_event_create(
                actor=request.user,
                unit=unit,
                category=d["category"],
                occurred_on=d["occurred_on"],
                occurred_at=d.get("occurred_at"),
                severity=d["severity"],
                incident_ref=d.get("incident_ref") or "",
            )
        except services.HuddleError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"{event.category.name}: event recorded.")
            return HttpResponseRedirect(reverse("huddles:unit", args=[unit.pk]))
    return render(
        request,
        "huddles/harm_event_form.jinja",
        {
            "page_title": f"Record a harm event: {unit.name}",
            "active_nav": "huddles",
            "breadcrumbs": _crumbs(unit, "Record a harm event"),
            "unit": unit,
            "form": form,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_GET
def action_list(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The unit's actions, open first; closed ones on request."""
    unit, _ = _unit(request, pk, full=True)
    status = request.GET.get("status", "open")
    if status not in ("open", "closed", "all"):
        status = "open"
    return render(
        request,
        "huddles/action_list.jinja",
        {
            "page_title": f"Huddle actions: {unit.name}",
            "active_nav": "huddles",
            "breadcrumbs": _crumbs(unit, "Actions"),
            "unit": unit,
            "status": status,
            "actions": selectors.actions(unit=unit, status=status),
            "today": services.today(),
        },
    )


@login_required
@require_POST
def action_close(request: AuthedHttpRequest, pk: int, action_pk: int) -> HttpResponse:
    """Close an action from the actions list."""
    unit, _ = _unit(request, pk, full=True)
    action = selectors.action_get(unit=unit, pk=action_pk)
    if action is None:
        raise Http404
    try:
        services.huddle_action_close(actor=request.user, action=action)
    except services.HuddleError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Closed: {action.text}")
    return HttpResponseRedirect(reverse("huddles:action_list", args=[unit.pk]))


@login_required
@require_GET
def export(request: AuthedHttpRequest, pk: int, what: str) -> HttpResponse:
    """The unit's huddles or harm events as CSV (staff and safety leads only)."""
    unit, _ = _unit(request, pk, full=True)
    if what == "huddles":
        body = exports.huddles_csv(
            selectors.huddles_for_export(unit=unit), _categories(request, unit)
        )
    elif what == "harm-events":
        body = exports.events_csv(selectors.harm_events(unit=unit, limit=None))
    else:
        raise Http404
    response = HttpResponse(body, content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{unit.slug}-{what}.csv"'
    return response
