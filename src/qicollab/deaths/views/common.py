"""Helpers every learning-from-deaths view uses to authorise and to log case reads."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from qicollab.accounts.models import Person
from qicollab.core.http import found, signed_in
from qicollab.deaths import choices as c
from qicollab.deaths import selectors, services
from qicollab.deaths.models import Death, DeathsSettings
from qicollab.organisations.models import Organisation

HOME = ("Learning from deaths", "/deaths/")


def me(request: HttpRequest) -> Person:
    """The signed-in person (every view here is behind ``login_required``)."""
    return signed_in(request)


def org_or_404(request: HttpRequest, slug: str, perm: str) -> Organisation:
    """The organisation, if the viewer has ``perm`` on it; a 404 otherwise.

    A 404 rather than a 403, so that people outside the team cannot tell which cases or
    organisations exist.
    """
    org = found(selectors.organisation_get(viewer=request.user, slug=slug))
    if not request.user.has_perm(perm, org):
        raise Http404
    return org


def open_case(
    request: HttpRequest, slug: str, pk: int, *, what: str, action: str = c.AccessAction.VIEW
) -> tuple[Organisation, Death]:
    """The case record, after checking the viewer is on the team; the read is logged."""
    org = org_or_404(request, slug, "deaths.view_case")
    death = found(
        services.case_open(viewer=me(request), organisation=org, pk=pk, action=action, what=what)
    )
    return org, death


def org_settings(org: Organisation) -> DeathsSettings:
    return selectors.settings_for(organisation=org)


def crumbs(org: Organisation, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    from django.urls import reverse

    return [
        HOME,
        (f"{org.display_name} cases", reverse("deaths:case_list", args=[org.slug])),
        *extra,
    ]


def case_crumbs(org: Organisation, death: Death, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    from django.urls import reverse

    return crumbs(
        org,
        (death.case_reference, reverse("deaths:case_detail", args=[org.slug, death.pk])),
        *extra,
    )


def post_data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None
