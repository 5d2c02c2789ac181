"""Pages for learning sessions. Thin: authorise, select or serve, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from qicollab.core.http import AuthedHttpRequest, found, require, safe_next
from qicollab.events import ics, presenters, selectors, services
from qicollab.events.forms import RegistrationForm
from qicollab.events.models import AgendaKind, BookingStatus, LearningSession
from qicollab.organisations import selectors as org_selectors

HOME = ("Learning", "/learning/")
SESSIONS = ("Learning sessions", "/learning/sessions/")


def _first_error(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@login_required
def session_list(request: AuthedHttpRequest) -> HttpResponse:
    collab = request.collaborative  # type: ignore[attr-defined]
    if not collab:
        return render(request, "capability/no_collaborative.jinja", {"active_nav": "learning"})
    return render(
        request,
        "events/session_list.jinja",
        {
            "page_title": "Learning sessions",
            "active_nav": "learning",
            "breadcrumbs": [HOME, SESSIONS],
            "collab": collab,
            "sessions": list(selectors.session_list(viewer=request.user, collaborative=collab)),
            "periods": list(selectors.action_periods(collaborative=collab)),
        },
    )


def _detail_context(request: AuthedHttpRequest, s: LearningSession) -> dict[str, object]:
    # Imported here: views_storyboards imports this module's breadcrumbs.
    from qicollab.events.views_storyboards import session_panel

    items = list(selectors.agenda(session=s))
    registration = selectors.my_registration(person=request.user, session=s)
    booked = selectors.booked_count(session=s)
    is_over = presenters.session_is_over(s)
    return {
        **session_panel(request.user, s),
        "page_title": s.title,
        "active_nav": "learning",
        "breadcrumbs": [HOME, SESSIONS, (s.title, "")],
        "s": s,
        "agenda": items,
        "workshops": [i for i in items if i.kind == AgendaKind.WORKSHOP],
        "registration": registration,
        "bookings": selectors.my_workshop_bookings(person=request.user, session=s),
        "can_manage": request.user.has_perm("events.manage_session", s),
        # Past sessions offer no booking or cancelling (the services refuse them as well).
        "is_over": is_over,
        "can_register": request.user.has_perm("events.register", s) and not is_over,
        "booked_count": booked,
        "workshop_hint": presenters.workshop_booking_hint(
            session=s, registration=registration, booked=booked
        ),
    }


@login_required
def session_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    s = found(selectors.session_get(viewer=request.user, pk=pk))
    ctx = _detail_context(request, s)
    ctx["form"] = RegistrationForm()
    return render(request, "events/session_detail.jinja", ctx)


@login_required
@require_POST
def register(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    s = found(selectors.session_get(viewer=request.user, pk=pk))
    require(request.user, "events.register", s)
    form = RegistrationForm(request.POST)
    if form.is_valid():
        try:
            reg = services.registration_create(
                actor=request.user, session=s, needs=form.cleaned_data["needs"]
            )
        except ValidationError as exc:
            form.add_error(None, _first_error(exc))
        else:
            messages.success(
                request,
                "You are booked on this learning session."
                if reg.status == BookingStatus.BOOKED
                else "The session is full, so you are on the waiting list. "
                "We will email you if a place comes free.",
            )
            return redirect(s)
    ctx = _detail_context(request, s)
    ctx["form"] = form
    return render(request, "events/session_detail.jinja", ctx, status=400)


@login_required
@require_POST
def cancel(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    s = found(selectors.session_get(viewer=request.user, pk=pk))
    reg = found(selectors.my_registration(person=request.user, session=s))
    services.registration_cancel(actor=request.user, registration=reg)
    messages.success(request, "Your place has been cancelled.")
    return redirect(s)


@login_required
@require_POST
def workshop_book(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    w = found(selectors.workshop_get(viewer=request.user, pk=pk))
    require(request.user, "events.register", w.session)
    back = safe_next(request, w.session.get_absolute_url())
    booking = None
    try:
        reg = selectors.my_registration(person=request.user, session=w.session)
        if reg is None or reg.status == BookingStatus.CANCELLED:
            reg = services.registration_create(actor=request.user, session=w.session)
        if reg.status == BookingStatus.WAITING:
            # Just put on the session's waiting list (or already there): no workshop yet,
            # which is what the hint beside the button said would happen.
            messages.info(
                request,
                presenters.workshop_booking_outcome(title=w.title, booking=None),
            )
            return redirect(back)
        booking = services.workshop_book(actor=request.user, workshop=w)
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
        return redirect(back)
    messages.success(
        request,
        presenters.workshop_booking_outcome(title=w.title, booking=booking),
    )
    return redirect(back)


@login_required
@require_POST
def workshop_cancel(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    w = found(selectors.workshop_get(viewer=request.user, pk=pk))
    b = found(selectors.my_workshop_bookings(person=request.user, session=w.session).get(w.pk))
    services.workshop_booking_cancel(actor=request.user, booking=b)
    messages.success(request, f"Your place at “{w.title}” has been cancelled.")
    return redirect(w.session)


@login_required
def check_in(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The organisers' check-in list; prints cleanly (header and buttons hidden in print)."""
    s = found(selectors.session_get(viewer=request.user, pk=pk))
    require(request.user, "events.manage_session", s)
    if request.method == "POST":
        raw = request.POST.get("registration", "")
        reg = s.registrations.filter(pk=int(raw)).first() if raw.isdigit() else None
        if reg is None:
            messages.error(request, "That person is not on this session's list.")
        else:
            try:
                services.registration_check_in(
                    actor=request.user, registration=reg, present=request.POST.get("present") == "1"
                )
            except ValidationError as exc:
                messages.error(request, _first_error(exc))
        return redirect("events:check_in", pk=s.pk)
    return render(
        request,
        "events/check_in.jinja",
        {
            "page_title": f"Check-in: {s.title}",
            "active_nav": "learning",
            "breadcrumbs": [HOME, SESSIONS, (s.title, s.get_absolute_url()), ("Check-in", "")],
            "s": s,
            "rows": list(selectors.check_in_list(session=s)),
            "waiting": list(selectors.waiting_list(session=s)),
        },
    )


def _ics_response(body: str, filename: str) -> HttpResponse:
    resp = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{filename}"'
    return resp


@login_required
def collaborative_ics(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    collab = found(org_selectors.collaborative_get(viewer=request.user, slug=slug))
    if not request.user.has_perm("events.view_calendar", collab):
        raise Http404
    sessions = selectors.session_list(viewer=request.user, collaborative=collab)
    return _ics_response(
        ics.calendar(
            sessions, name=f"{collab.display_name} learning sessions", site_url=settings.SITE_URL
        ),
        f"{collab.slug}-learning-sessions.ics",
    )


@login_required
def my_ics(request: AuthedHttpRequest) -> HttpResponse:
    return _ics_response(
        ics.calendar(
            selectors.my_sessions(person=request.user),
            name="My learning sessions",
            site_url=settings.SITE_URL,
        ),
        "my-learning-sessions.ics",
    )
