"""Log in and out, profiles and the people directory."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from qicollab.accounts import presenters, selectors, services
from qicollab.accounts.forms import LoginForm, PersonFilterForm, ProfileForm
from qicollab.accounts.roles import roles_for
from qicollab.accounts.rules import can_see_lived_experience
from qicollab.core.http import found, paginate, pagination_context, require, safe_next

PEOPLE = ("People", "/accounts/people/")


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(safe_next(request, "/"))
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        auth_login(request, form.get_user(), backend="django.contrib.auth.backends.ModelBackend")
        return redirect(safe_next(request, "/"))
    return render(
        request,
        "accounts/login.jinja",
        {"page_title": "Log in", "form": form, "next": request.GET.get("next", "")},
    )


def logout(request: HttpRequest) -> HttpResponse:
    """GET asks to confirm; POST logs out (a link must not log anyone out)."""
    if request.method == "POST":
        auth_logout(request)
        messages.success(request, "You have logged out.")
        return redirect("accounts:login")
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    return render(request, "accounts/logout.jinja", {"page_title": "Log out"})


def lockout(request: HttpRequest, response: Any = None, credentials: Any = None) -> HttpResponse:
    """django-axes calls this when too many logins failed for this email and address."""
    return render(
        request,
        "accounts/lockout.jinja",
        {"page_title": "Too many attempts to log in"},
        status=429,
    )


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    person = request.user
    # The form validates a copy: a ModelForm writes the submitted values onto its instance,
    # and the page's header (and the service's comparison) must keep the saved person until
    # the service has actually saved.
    form = ProfileForm(request.POST or None, instance=copy.copy(person))
    if request.method == "POST" and form.is_valid():
        services.person_update(actor=person, person=person, data=form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, "Your details have been saved.")
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.jinja",
        {
            "page_title": "Your profile",
            "form": form,
            "person": person,
            "affiliations": selectors.person_affiliations(person=person),  # type: ignore[arg-type]
            "history": person.history.select_related("history_user").order_by("-history_date"),  # type: ignore[union-attr]
        },
    )


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    form = PersonFilterForm(request.GET or None)
    search = form.cleaned_data.get("q", "") if form.is_valid() else ""
    page = paginate(request, selectors.person_list(viewer=request.user, search=search), 30)
    return render(
        request,
        "accounts/person_list.jinja",
        {
            "page_title": "People",
            "active_nav": "people",
            "form": form,
            "page": page,
            "rows": presenters.person_rows(page.object_list),
            "pagination": pagination_context(request, page),
        },
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = found(selectors.person_get(viewer=request.user, pk=pk))
    require(request.user, "accounts.view_person", person)
    viewer = roles_for(request.user)
    show_lived = can_see_lived_experience(request.user, person)
    return render(
        request,
        "accounts/person_detail.jinja",
        {
            "page_title": person.full_name,
            "active_nav": "people",
            "breadcrumbs": [PEOPLE, (person.full_name, person.get_absolute_url())],
            "person": person,
            "show_lived": show_lived,
            "profession": presenters.shown_profession_label(person, lived_visible=show_lived),
            "affiliations": selectors.person_affiliations(person=person),
            "collab_roles": person.collaborative_roles.select_related("collaborative"),
            "history": person.history.select_related("history_user").order_by("-history_date")
            if person.pk == viewer.person_id or viewer.is_national_admin
            else None,
        },
    )
