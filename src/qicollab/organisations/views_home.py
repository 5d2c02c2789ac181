"""The home page. Signed in: My work, the blocks other apps contribute. Signed out: what this is."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from qicollab.accounts.roles import roles_for
from qicollab.core import contributions
from qicollab.organisations import selectors as org_selectors

#: The page the My work blocks are registered on (``core.contributions.register_block``).
HOME_BLOCKS = "organisations.home"


def home(request: HttpRequest) -> HttpResponse:
    """Signed in: My work (projects, what is due, actions, bookings, approvals...) and the
    person's organisations and roles. Signed out: what this is."""
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
    blocks = contributions.collect_blocks(
        HOME_BLOCKS,
        viewer=request.user,
        roles=roles,
        today=timezone.localdate(),
        memo={},
    )
    context: dict[str, Any] = {
        "active_nav": "home",
        "page_title": "My work",
        "blocks": blocks,
        "affiliations": org_selectors.current_affiliations(person=request.user),
        "collab_roles": org_selectors.collaborative_roles(person=request.user),
        "roles": roles,
    }
    return render(request, "organisations/home.jinja", context)
