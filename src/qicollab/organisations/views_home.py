"""The home page: your organisations, collaboratives and roles (signed out: what this is)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from qicollab.accounts.roles import roles_for
from qicollab.organisations import selectors as org_selectors


def home(request: HttpRequest) -> HttpResponse:
    """Signed in: your organisations, collaboratives and roles. Signed out: what this is."""
    if not request.user.is_authenticated:
        return render(
            request,
            "organisations/landing.jinja",
            {
                "collaboratives": org_selectors.collaborative_list(viewer=request.user)[:6],
                "active_nav": "home",
            },
        )
    roles = roles_for(request.user)
    collab = request.collaborative  # type: ignore[attr-defined]  # set by middleware
    context: dict[str, Any] = {
        "active_nav": "home",
        "page_title": "Home",
        "affiliations": request.user.affiliations.filter(ended_on__isnull=True).select_related(
            "organisation"
        ),
        "collab_roles": request.user.collaborative_roles.select_related("collaborative"),
        "roles": roles,
        "collab": collab,
        "members": org_selectors.collaborative_members(collaborative=collab) if collab else [],
        "structure": org_selectors.collaborative_with_structure(collaborative=collab)
        if collab
        else None,
    }
    return render(request, "organisations/home.jinja", context)
