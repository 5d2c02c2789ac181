"""Pages for organisations and collaboratives. Thin: authorise, select or serve, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import ProtectedError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from qicollab.core import contributions
from qicollab.core.forms import show_conflict
from qicollab.core.http import (
    AuthedHttpRequest,
    found,
    paginate,
    pagination_context,
    require,
    safe_next,
)
from qicollab.core.services import EditConflict, version_token
from qicollab.organisations import selectors, services
from qicollab.organisations.forms import (
    CollaborativeForm,
    MembershipAddForm,
    MembershipEndForm,
    OrganisationFilterForm,
    OrganisationForm,
)
from qicollab.organisations.middleware import SESSION_KEY
from qicollab.organisations.models import CollaborativeMembership

ORGS = ("Organisations", "/organisations/")


COLLABS = ("Collaboratives", "/collaboratives/")


@login_required
def organisation_list(request: AuthedHttpRequest) -> HttpResponse:
    form = OrganisationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.organisation_list(
        viewer=request.user,
        search=filters.get("q", ""),
        org_type=filters.get("org_type", ""),
        region=filters.get("region", ""),
    )
    page = paginate(request, qs)
    return render(
        request,
        "organisations/organisation_list.jinja",
        {
            "page_title": "Organisations",
            "active_nav": "organisations",
            "form": form,
            "page": page,
            "pagination": pagination_context(request, page),
            "can_add": request.user.has_perm("organisations.add_organisation"),
        },
    )


@login_required
def organisation_detail(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    org = found(selectors.organisation_get(viewer=request.user, slug=slug))
    show_people = request.user.has_perm("organisations.view_organisation_people", org)
    return render(
        request,
        "organisations/organisation_detail.jinja",
        {
            "page_title": org.name,
            "active_nav": "organisations",
            "breadcrumbs": [ORGS, (org.name, org.get_absolute_url())],
            "org": org,
            "memberships": selectors.organisation_collaboratives(organisation=org),
            "affiliations": selectors.organisation_affiliations(organisation=org)
            if show_people
            else None,
            "can_change": request.user.has_perm("organisations.change_organisation", org),
            "can_invite": request.user.has_perm("organisations.invite_to_organisation", org),
            "history": org.history.select_related("history_user").order_by("-history_date"),
        },
    )


@login_required
def organisation_create(request: AuthedHttpRequest) -> HttpResponse:
    require(request.user, "organisations.add_organisation")
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "loaded_version"}
        org = services.organisation_create(actor=request.user, data=data)
        messages.success(request, f"{org.name} has been added.")
        return redirect(org)
    return render(
        request,
        "organisations/organisation_form.jinja",
        {
            "page_title": "Add an organisation",
            "active_nav": "organisations",
            "breadcrumbs": [ORGS, ("Add an organisation", "")],
            "form": form,
        },
    )


@login_required
def organisation_edit(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    org = found(selectors.organisation_get(viewer=request.user, slug=slug))
    require(request.user, "organisations.change_organisation", org)
    form = OrganisationForm(
        request.POST or None, instance=org, initial={"loaded_version": version_token(org)}
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "loaded_version"}
        try:
            services.organisation_update(
                actor=request.user,
                organisation=found(selectors.organisation_get(viewer=request.user, slug=slug)),
                data=data,
                loaded_version=form.cleaned_data["loaded_version"],
            )
        except EditConflict as exc:
            conflict = show_conflict(form, exc, "organisation")
        else:
            messages.success(request, "Your changes have been saved.")
            return redirect(org)
    return render(
        request,
        "organisations/organisation_form.jinja",
        {
            "page_title": f"Edit {org.name}",
            "active_nav": "organisations",
            "breadcrumbs": [ORGS, (org.name, org.get_absolute_url()), ("Edit", "")],
            "form": form,
            "org": org,
            "conflict": conflict,
        },
    )


def collaborative_list(request: HttpRequest) -> HttpResponse:
    """Public: anyone can see public collaboratives; members also see their private ones."""
    return render(
        request,
        "organisations/collaborative_list.jinja",
        {
            "page_title": "Collaboratives",
            "active_nav": "collaboratives",
            "collaboratives": selectors.collaborative_list(viewer=request.user).order_by("name"),
        },
    )


def collaborative_detail(request: HttpRequest, slug: str) -> HttpResponse:
    collab = found(selectors.collaborative_get(viewer=request.user, slug=slug))
    internals = request.user.has_perm("organisations.view_collaborative_internals", collab)
    return render(
        request,
        "organisations/collaborative_detail.jinja",
        {
            "page_title": collab.name,
            "active_nav": "collaboratives",
            "breadcrumbs": [COLLABS, (collab.name, collab.get_absolute_url())],
            "collab": selectors.collaborative_with_structure(collaborative=collab),
            "members": selectors.collaborative_members(collaborative=collab),
            "former_members": selectors.collaborative_former_members(collaborative=collab)
            if internals
            else [],
            "people_roles": selectors.collaborative_people_roles(collaborative=collab),
            "internals": internals,
            # Hub additions from the read side (insights registers them): visible project
            # counts, coordinators' links. Defaults keep the page whole without a provider.
            "ws_project_counts": {},
            "theme_counts": {},
            "hub_links": [],
            **contributions.collect(
                "organisations.collaborative_detail", viewer=request.user, collaborative=collab
            ),
            "can_change": request.user.has_perm("organisations.change_collaborative", collab),
            "history": collab.history.select_related("history_user").order_by("-history_date")
            if internals
            else None,
        },
    )


@login_required
def collaborative_edit(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    collab = found(selectors.collaborative_get(viewer=request.user, slug=slug))
    require(request.user, "organisations.change_collaborative", collab)
    form = CollaborativeForm(
        request.POST or None, instance=collab, initial={"loaded_version": version_token(collab)}
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "loaded_version"}
        try:
            services.collaborative_update(
                actor=request.user,
                collaborative=found(selectors.collaborative_get(viewer=request.user, slug=slug)),
                data=data,
                loaded_version=form.cleaned_data["loaded_version"],
            )
        except EditConflict as exc:
            conflict = show_conflict(form, exc, "collaborative")
        else:
            messages.success(request, "Your changes have been saved.")
            return redirect(collab)
    return render(
        request,
        "organisations/collaborative_form.jinja",
        {
            "page_title": f"Edit {collab.name}",
            "active_nav": "collaboratives",
            "breadcrumbs": [COLLABS, (collab.name, collab.get_absolute_url()), ("Edit", "")],
            "form": form,
            "collab": collab,
            "conflict": conflict,
        },
    )


@login_required
def membership_add(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    collab = found(selectors.collaborative_get(viewer=request.user, slug=slug))
    require(request.user, "organisations.manage_collaborative_members", collab)
    form = MembershipAddForm(request.POST or None, collaborative=collab)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_add(
                actor=request.user,
                collaborative=collab,
                organisation=form.cleaned_data["organisation"],
                joined_on=form.cleaned_data["joined_on"],
            )
        except services.MembershipError as exc:
            form.add_error("organisation", str(exc))
        else:
            messages.success(
                request, f"{form.cleaned_data['organisation']} has joined {collab.name}."
            )
            return redirect(collab)
    return render(
        request,
        "organisations/membership_form.jinja",
        {
            "page_title": "Add a member organisation",
            "active_nav": "collaboratives",
            "breadcrumbs": [
                COLLABS,
                (collab.name, collab.get_absolute_url()),
                ("Add a member", ""),
            ],
            "form": form,
            "collab": collab,
        },
    )


@login_required
def membership_end(request: AuthedHttpRequest, slug: str, pk: int) -> HttpResponse:
    collab = found(selectors.collaborative_get(viewer=request.user, slug=slug))
    require(request.user, "organisations.manage_collaborative_members", collab)
    membership = get_object_or_404(
        CollaborativeMembership, pk=pk, collaborative=collab, left_on__isnull=True
    )
    form = MembershipEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(
                actor=request.user, membership=membership, left_on=form.cleaned_data["left_on"]
            )
        except (services.MembershipError, ProtectedError) as exc:
            form.add_error("left_on", str(exc))
        else:
            messages.success(request, f"{membership.organisation} has left {collab.name}.")
            return redirect(collab)
    return render(
        request,
        "organisations/membership_end.jinja",
        {
            "page_title": f"{membership.organisation} leaves {collab.name}",
            "active_nav": "collaboratives",
            "breadcrumbs": [
                COLLABS,
                (collab.name, collab.get_absolute_url()),
                ("End membership", ""),
            ],
            "form": form,
            "collab": collab,
            "membership": membership,
        },
    )


@login_required
@require_POST
def collaborative_switch(request: AuthedHttpRequest) -> HttpResponse:
    """Choose the collaborative shown in the header (only one the person belongs to)."""
    wanted = request.POST.get("collaborative", "")
    choice = None
    if wanted.isdigit():
        choice = (
            selectors.switchable_collaboratives(viewer=request.user).filter(pk=int(wanted)).first()
        )
    if choice is None:
        messages.error(request, "Choose one of your collaboratives.")
    else:
        request.session[SESSION_KEY] = choice.pk
    return redirect(safe_next(request, "/"))
