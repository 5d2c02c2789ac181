"""The notification list (marks read: htmx, or a plain form) and the email settings pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from qicollab.core.forms import add_service_error
from qicollab.core.http import found, paginate, pagination_context, safe_next, signed_in
from qicollab.notifications import selectors, services
from qicollab.notifications.forms import OneSettingForm, PreferencesForm
from qicollab.notifications.kinds import is_kind
from qicollab.notifications.presenters import notification_view, safe_target
from qicollab.notifications.services import NotificationError
from qicollab.notifications.tokens import read_token

PER_PAGE = 30


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The viewer's notifications, newest first; ``?show=unread`` for the unread ones only."""
    viewer = signed_in(request)
    unread_only = request.GET.get("show") == "unread"
    page = paginate(
        request, selectors.notification_list(viewer=viewer, unread_only=unread_only), PER_PAGE
    )
    return render(
        request,
        "notifications/list.jinja",
        {
            "page_title": "Notifications",
            "items": [notification_view(n) for n in page.object_list],
            "page": page,
            "pagination": pagination_context(request, page),
            "unread_only": unread_only,
            "unread": selectors.unread_count(viewer=viewer),
        },
    )


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one read: htmx gets the updated item, a plain form goes back to the list."""
    viewer = signed_in(request)
    n = found(selectors.notification_get(viewer=viewer, pk=pk))
    services.notification_mark_read(actor=viewer, notification=n)
    selectors.forget_unread_count(viewer)
    if getattr(request, "htmx", False):
        return render(
            request,
            "notifications/_item.jinja",
            {"n": notification_view(n), "unread": selectors.unread_count(viewer=viewer)},
        )
    return redirect(safe_next(request, reverse("notifications:list")))


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(actor=signed_in(request))
    if count:
        messages.success(
            request, f"{count} notification{'s' if count != 1 else ''} marked as read."
        )
    return redirect(reverse("notifications:list"))


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification's link, marking it read on the way."""
    viewer = signed_in(request)
    n = found(selectors.notification_get(viewer=viewer, pk=pk))
    services.notification_mark_read(actor=viewer, notification=n)
    return redirect(safe_target(n.url))


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """How the viewer hears of each kind by email."""
    viewer = signed_in(request)
    form = PreferencesForm(request.POST or None, settings=selectors.preferences(person=viewer))
    if request.method == "POST" and form.is_valid():
        try:
            for key, frequency in form.chosen().items():
                services.preference_set(
                    actor=viewer, person=viewer, kind_key=key, frequency=frequency
                )
        except NotificationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Your notification settings have been saved.")
            return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.jinja",
        {"page_title": "Notification settings", "form": form},
    )


def one_setting(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every email: change that one setting, signed in or not.

    Opening the link changes nothing (mail scanners open links); the person presses the
    button. The token vouches for one person and one kind only.
    """
    read = read_token(token)
    if read is None or not is_kind(read.kind):
        raise Http404
    person = selectors.token_person(pk=read.person_id)
    if person is None:
        raise Http404
    setting = next(s for s in selectors.preferences(person=person) if s.kind.key == read.kind)
    initial = {"frequency": "off"} if not setting.kind.app_emails else None
    form = OneSettingForm(request.POST or None, setting=setting, initial=initial)
    saved = False
    if request.method == "POST" and form.is_valid():
        try:
            services.preference_set(
                actor=None,
                person=person,
                kind_key=read.kind,
                frequency=form.cleaned_data["frequency"],
            )
        except NotificationError as exc:
            add_service_error(form, exc)
        else:
            saved = True
            setting = next(
                s for s in selectors.preferences(person=person) if s.kind.key == read.kind
            )
    return render(
        request,
        "notifications/one_setting.jinja",
        {
            "page_title": "Change a notification setting",
            "form": form,
            "setting": setting,
            "saved": saved,
            "email": person.email,
        },
    )
