"""The programme manager's pages: the mortality-review team, settings and the access log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from qicollab.core.forms import add_service_error
from qicollab.core.http import paginate, pagination_context
from qicollab.deaths import selectors, services
from qicollab.deaths.forms import DeathsSettingsForm, TeamMemberForm
from qicollab.deaths.models import MortalityTeamMember
from qicollab.deaths.views.common import (
    HOME,
    me,
    org_or_404,
    org_settings,
    post_data,
)


@login_required
def team(request: HttpRequest, slug: str) -> HttpResponse:
    org = org_or_404(request, slug, "deaths.manage_team")
    form = TeamMemberForm(post_data(request), organisation=org)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.team_member_set(
                actor=me(request), organisation=org, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                f"{member.person} is on the mortality-review team as "
                f"{member.get_role_display().lower()}.",
            )
            return redirect("deaths:team", org.slug)
    return render(
        request,
        "deaths/team.jinja",
        {
            "page_title": f"Mortality-review team: {org.display_name}",
            "active_nav": "deaths",
            "breadcrumbs": [HOME, ("Team", "")],
            "org": org,
            "form": form,
            "members": selectors.team_members(organisation=org),
        },
    )


@login_required
@require_POST
def team_remove(request: HttpRequest, slug: str, member_pk: int) -> HttpResponse:
    org = org_or_404(request, slug, "deaths.manage_team")
    member = selectors.team_members(organisation=org).filter(pk=member_pk).first()
    if member is None:
        raise Http404
    services.team_member_remove(actor=me(request), member=member)
    messages.success(
        request,
        f"{member.person} has been removed from the team and can no longer see case records.",
    )
    return redirect("deaths:team", org.slug)


@login_required
def settings_edit(request: HttpRequest, slug: str) -> HttpResponse:
    org = org_or_404(request, slug, "deaths.change_settings")
    current = org_settings(org)
    form = DeathsSettingsForm(
        post_data(request),
        instance=current if current.pk else None,
        initial={} if current.pk else {"review_tool": current.review_tool},
    )
    if request.method == "POST" and form.is_valid():
        services.settings_update(actor=me(request), organisation=org, data=form.cleaned_data)
        messages.success(request, "The settings have been saved.")
        return redirect("deaths:settings", org.slug)
    return render(
        request,
        "deaths/settings_form.jinja",
        {
            "page_title": f"Learning from deaths settings: {org.display_name}",
            "active_nav": "deaths",
            "breadcrumbs": [HOME, ("Settings", "")],
            "org": org,
            "form": form,
            "history": current.history.select_related("history_user").order_by("-history_date")
            if current.pk
            else None,
        },
    )


@login_required
def access_log(request: HttpRequest, slug: str) -> HttpResponse:
    org = org_or_404(request, slug, "deaths.view_access_log")
    qs = selectors.access_log(organisation=org)
    person = request.GET.get("person", "")
    if person.isdigit():
        qs = qs.filter(person_id=int(person))
    page = paginate(request, qs, per_page=50)
    return render(
        request,
        "deaths/access_log.jinja",
        {
            "page_title": f"Case record access log: {org.display_name}",
            "active_nav": "deaths",
            "breadcrumbs": [HOME, ("Access log", "")],
            "org": org,
            "page": page,
            "pagination": pagination_context(request, page),
            "tombstones": selectors.tombstones(organisation=org)[:50],
            "team_history": MortalityTeamMember.history.filter(organisation_id=org.pk)
            .select_related("history_user", "person")
            .order_by("-history_date")[:50],
        },
    )
