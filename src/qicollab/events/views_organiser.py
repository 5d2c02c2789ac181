"""Organisers' pages: sessions, action periods, the agenda, and the printable sign-in sheet.

Who organises: the collaborative's leads, faculty and national admins (``events.organise``
for a collaborative, ``events.manage_session`` for a session). People outside the
collaborative get 404 (they cannot tell a session exists); members who may see a session
but not run it get 403.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from qicollab.core.forms import show_conflict
from qicollab.core.http import AuthedHttpRequest, found, require
from qicollab.core.services import EditConflict, version_token
from qicollab.events import selectors
from qicollab.events import services_organiser as services
from qicollab.events.forms import ActionPeriodForm, AgendaItemForm, LearningSessionForm
from qicollab.events.models import AgendaItem, AgendaKind, BookingStatus, LearningSession
from qicollab.organisations.models import Collaborative

HOME = ("Learning", "/learning/")
SESSIONS = ("Learning sessions", "/learning/sessions/")

SESSION_CONFLICT_FIELDS = [
    ("title", "Title"),
    ("starts_on", "First day"),
    ("ends_on", "Last day"),
    ("venue", "Venue"),
    ("online_link", "Online link"),
    ("capacity", "Places"),
    ("ask_needs", "Ask about needs"),
    ("description", "Description"),
]
AGENDA_CONFLICT_FIELDS = [
    ("kind", "Type"),
    ("title", "Title"),
    ("day", "Day"),
    ("starts_at", "Starts at"),
    ("ends_at", "Ends at"),
    ("presenter", "Presenter"),
    ("room", "Room"),
    ("subject", "Subject area"),
    ("level", "Level"),
    ("workstream", "Workstream"),
    ("capacity", "Workshop places"),
]
PERIOD_CONFLICT_FIELDS = [("title", "Title"), ("starts_on", "Starts on"), ("ends_on", "Ends on")]


def _data(form: Any) -> dict[str, Any]:
    return {k: v for k, v in form.cleaned_data.items() if k != "loaded_version"}


def _save_edit(form: Any, what: str, save: Callable[[str], object]) -> tuple[bool, Any]:
    """Run an edit service with the version the form was loaded at. A concurrent change
    comes back as the conflict to show, a refused business rule as a form error; returns
    ``(saved, conflict)``."""
    try:
        save(form.cleaned_data["loaded_version"])
    except EditConflict as exc:
        return False, show_conflict(form, exc, what)
    except ValidationError as exc:
        form.add_error(None, exc)
        return False, None
    return True, None


def _organised_collab(request: AuthedHttpRequest) -> Collaborative:
    """The current collaborative, if the person organises it (someone in none is refused)."""
    c = request.collaborative  # type: ignore[attr-defined]
    if not c:
        raise PermissionDenied
    require(request.user, "events.organise", c)
    return c  # type: ignore[no-any-return]


def _managed_session(request: AuthedHttpRequest, pk: int) -> LearningSession:
    s = found(selectors.session_get(viewer=request.user, pk=pk))
    require(request.user, "events.manage_session", s)
    return s


def _session_crumbs(s: LearningSession, *tail: tuple[str, str]) -> list[tuple[str, str]]:
    return [HOME, SESSIONS, (s.title, s.get_absolute_url()), *tail]


def _render_form(request: AuthedHttpRequest, template: str, **ctx: Any) -> HttpResponse:
    return render(request, f"events/{template}", {"active_nav": "learning", **ctx})


# --- learning sessions ---------------------------------------------------------------


@login_required
def session_create(request: AuthedHttpRequest) -> HttpResponse:
    collab = _organised_collab(request)
    form = LearningSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        s = services.learning_session_create(
            actor=request.user, collaborative=collab, data=_data(form)
        )
        messages.success(request, f"{s.title} has been added. Now add its agenda.")
        return redirect(s)
    return _render_form(
        request,
        "session_form.jinja",
        page_title="Add a learning session",
        breadcrumbs=[HOME, SESSIONS, ("Add a learning session", "")],
        form=form,
        collab=collab,
        cancel_url=reverse("events:session_list"),
    )


@login_required
def session_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    s = _managed_session(request, pk)
    form = LearningSessionForm(
        request.POST or None, instance=s, initial={"loaded_version": version_token(s)}
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        saved, conflict = _save_edit(
            form,
            "learning session",
            lambda version: services.learning_session_update(
                actor=request.user,
                session=_managed_session(request, pk),
                data=_data(form),
                loaded_version=version,
            ),
        )
        if saved:
            messages.success(request, "Your changes have been saved.")
            return redirect("events:session_detail", pk=s.pk)
    return _render_form(
        request,
        "session_form.jinja",
        page_title=f"Edit {s.title}",
        breadcrumbs=_session_crumbs(s, ("Edit", "")),
        form=form,
        s=s,
        conflict=conflict,
        conflict_fields=SESSION_CONFLICT_FIELDS,
        cancel_url=s.get_absolute_url(),
    )


@login_required
def session_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    s = _managed_session(request, pk)
    if request.method == "POST":
        services.learning_session_delete(actor=request.user, session=s)
        messages.success(request, f"{s.title} has been deleted.")
        return redirect("events:session_list")
    booked = s.registrations.exclude(status=BookingStatus.CANCELLED).count()
    items = s.agenda.count()
    return _render_form(
        request,
        "organiser_delete.jinja",
        page_title=f"Delete {s.title}?",
        breadcrumbs=_session_crumbs(s, ("Delete", "")),
        heading=f"Delete {s.title}?",
        consequences=[
            f"Its agenda ({items} item{'s' if items != 1 else ''}) is deleted with it.",
            f"{booked} {'person loses their place' if booked == 1 else 'people lose their places'}"
            " and workshop bookings. They are not emailed: tell them yourself."
            if booked
            else "Nobody has booked a place yet.",
        ],
        button="Delete the learning session",
        cancel_url=s.get_absolute_url(),
    )


# --- agenda --------------------------------------------------------------------------


@login_required
def agenda_item_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    s = _managed_session(request, pk)
    initial = {"day": 1} if request.method != "POST" else None
    form = AgendaItemForm(request.POST or None, session=s, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.agenda_item_create(actor=request.user, session=s, data=_data(form))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"“{item.title}” has been added to the agenda.")
            if "add_another" in request.POST:
                return redirect("events:agenda_item_create", pk=s.pk)
            return redirect(s)
    return _render_form(
        request,
        "organiser_agenda_form.jinja",
        page_title="Add to the agenda",
        breadcrumbs=_session_crumbs(s, ("Add to the agenda", "")),
        form=form,
        s=s,
        adding=True,
        cancel_url=s.get_absolute_url(),
    )


def _managed_item(request: AuthedHttpRequest, pk: int) -> AgendaItem:
    item = found(selectors.agenda_item_get(viewer=request.user, pk=pk))
    require(request.user, "events.manage_session", item.session)
    return item


@login_required
def agenda_item_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    item = _managed_item(request, pk)
    s = item.session
    form = AgendaItemForm(
        request.POST or None,
        session=s,
        instance=item,
        initial={"loaded_version": version_token(item)},
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        saved, conflict = _save_edit(
            form,
            "agenda item",
            lambda version: services.agenda_item_update(
                actor=request.user,
                item=_managed_item(request, pk),
                data=_data(form),
                loaded_version=version,
            ),
        )
        if saved:
            messages.success(request, "Your changes have been saved.")
            return redirect(s)
    return _render_form(
        request,
        "organiser_agenda_form.jinja",
        page_title=f"Edit “{item.title}”",
        breadcrumbs=_session_crumbs(s, ("Edit agenda item", "")),
        form=form,
        s=s,
        item=item,
        conflict=conflict,
        conflict_fields=AGENDA_CONFLICT_FIELDS,
        cancel_url=s.get_absolute_url(),
    )


@login_required
def agenda_item_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    item = _managed_item(request, pk)
    s = item.session
    if request.method == "POST":
        services.agenda_item_delete(actor=request.user, item=item)
        messages.success(request, f"“{item.title}” has been removed from the agenda.")
        return redirect(s)
    consequences = ["It is removed from the agenda and from people's calendars."]
    if item.kind == AgendaKind.WORKSHOP:
        n = item.bookings.exclude(status=BookingStatus.CANCELLED).count()
        consequences.append(
            f"{n} {'booking is' if n == 1 else 'bookings are'} deleted with it. "
            "People are not emailed: tell them yourself."
            if n
            else "Nobody has booked it yet."
        )
    return _render_form(
        request,
        "organiser_delete.jinja",
        page_title=f"Delete “{item.title}”?",
        breadcrumbs=_session_crumbs(s, ("Delete agenda item", "")),
        heading=f"Delete “{item.title}”?",
        caption=s.title,
        consequences=consequences,
        button="Delete the agenda item",
        cancel_url=s.get_absolute_url(),
    )


# --- action periods ------------------------------------------------------------------


@login_required
def action_period_create(request: AuthedHttpRequest) -> HttpResponse:
    collab = _organised_collab(request)
    form = ActionPeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        p = services.action_period_create(
            actor=request.user, collaborative=collab, data=_data(form)
        )
        messages.success(request, f"{p.title} has been added.")
        return redirect("events:session_list")
    return _render_form(
        request,
        "organiser_period_form.jinja",
        page_title="Add an action period",
        breadcrumbs=[HOME, SESSIONS, ("Add an action period", "")],
        form=form,
        cancel_url=reverse("events:session_list"),
    )


def _managed_period(request: AuthedHttpRequest, pk: int) -> Any:
    p = found(selectors.action_period_get(viewer=request.user, pk=pk))
    require(request.user, "events.organise", p.collaborative)
    return p


@login_required
def action_period_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    p = _managed_period(request, pk)
    form = ActionPeriodForm(
        request.POST or None, instance=p, initial={"loaded_version": version_token(p)}
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        saved, conflict = _save_edit(
            form,
            "action period",
            lambda version: services.action_period_update(
                actor=request.user,
                period=_managed_period(request, pk),
                data=_data(form),
                loaded_version=version,
            ),
        )
        if saved:
            messages.success(request, "Your changes have been saved.")
            return redirect("events:session_list")
    return _render_form(
        request,
        "organiser_period_form.jinja",
        page_title=f"Edit {p.title}",
        breadcrumbs=[HOME, SESSIONS, (f"Edit {p.title}", "")],
        form=form,
        period=p,
        conflict=conflict,
        conflict_fields=PERIOD_CONFLICT_FIELDS,
        cancel_url=reverse("events:session_list"),
    )


@login_required
def action_period_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    p = _managed_period(request, pk)
    if request.method == "POST":
        services.action_period_delete(actor=request.user, period=p)
        messages.success(request, f"{p.title} has been deleted.")
        return redirect("events:session_list")
    return _render_form(
        request,
        "organiser_delete.jinja",
        page_title=f"Delete {p.title}?",
        breadcrumbs=[HOME, SESSIONS, (f"Delete {p.title}", "")],
        heading=f"Delete {p.title}?",
        consequences=["It is removed from the calendar. Learning sessions are not affected."],
        button="Delete the action period",
        cancel_url=reverse("events:session_list"),
    )


# --- printable sign-in sheet ----------------------------------------------------------


@login_required
def check_in_print(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """A paper sign-in sheet: one row per person with a place, a column to sign per day."""
    s = _managed_session(request, pk)
    rows = list(selectors.check_in_list(session=s))
    days = (s.ends_on - s.starts_on).days + 1
    return render(
        request,
        "events/organiser_check_in_print.jinja",
        {
            "page_title": f"Sign-in sheet: {s.title}",
            "active_nav": "learning",
            "breadcrumbs": _session_crumbs(
                s, ("Check-in", reverse("events:check_in", args=[s.pk])), ("Sign-in sheet", "")
            ),
            "s": s,
            "rows": rows,
            # One signature column per day (a long session would not fit across the page).
            "day_labels": [
                f"{d:%a} {d.day} {d:%b}"
                for d in (s.starts_on + dt.timedelta(days=n) for n in range(min(days, 5)))
            ],
        },
    )
