"""Reads of organisations and collaboratives, always scoped by the viewer's roles."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from qicollab.accounts.roles import roles_for
from qicollab.organisations.models import (
    Affiliation,
    Collaborative,
    CollaborativeMembership,
    CollaborativeRole,
    Organisation,
)


def organisation_list(
    *, viewer: Any, search: str = "", org_type: str = "", region: str = ""
) -> QuerySet[Organisation]:
    """Organisations the viewer may open, optionally filtered."""
    r = roles_for(viewer)
    qs = Organisation.objects.all()
    if not (r.is_superuser or r.is_national_admin):
        # Mirrors organisations.rules.can_view_organisation.
        visible = Q(pk__in=r.visible_org_ids)
        if r.lead_collab_ids:
            attached = CollaborativeMembership.objects.current().values("organisation_id")
            visible |= ~Q(pk__in=attached)
        qs = qs.filter(visible)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(ods_code__iexact=search))
    if org_type:
        qs = qs.filter(org_type=org_type)
    if region:
        qs = qs.filter(region=region)
    return qs.order_by("name")


def organisation_by_slug(*, slug: str) -> Organisation | None:
    """Any organisation by slug, deliberately not scoped to a viewer.

    For choices every person may name (filter projects by an organisation, add an
    organisation to a collaborative), where whatever is shown next is scoped on its own.
    """
    return Organisation.objects.filter(slug=slug).first()


def organisation_get(*, viewer: Any, slug: str) -> Organisation | None:
    """One organisation by slug if the viewer may see it, else ``None`` (shown as 404)."""
    return organisation_list(viewer=viewer).filter(slug=slug).first()


def organisation_affiliations(*, organisation: Organisation) -> QuerySet[Affiliation]:
    """Current staff and partners of an organisation (callers check view_organisation_people)."""
    return (
        organisation.affiliations.filter(ended_on__isnull=True)
        .select_related("person")
        .order_by("role", "person__full_name")
    )


def organisation_collaboratives(*, organisation: Organisation) -> QuerySet[CollaborativeMembership]:
    return organisation.collaborative_memberships.select_related(
        "collaborative", "programme_manager"
    ).order_by("-joined_on")


def collaborative_list(*, viewer: Any) -> QuerySet[Collaborative]:
    """Public collaboratives and those the viewer belongs to, with member counts."""
    r = roles_for(viewer)
    qs = Collaborative.objects.all()
    if not r.is_superuser:
        qs = qs.filter(Q(is_public=True) | Q(pk__in=r.visible_collab_ids))
    return qs.select_related("lead_organisation", "programme").annotate(
        member_count=Count(
            "memberships",
            filter=Q(memberships__left_on__isnull=True),
            distinct=True,
        )
    )


def collaborative_get(*, viewer: Any, slug: str) -> Collaborative | None:
    return collaborative_list(viewer=viewer).filter(slug=slug).first()


def collaborative_members(*, collaborative: Collaborative) -> QuerySet[CollaborativeMembership]:
    """Current member organisations with their programme managers."""
    return (
        collaborative.memberships.current()
        .select_related("organisation", "programme_manager")
        .order_by("organisation__name")
    )


def collaborative_former_members(
    *, collaborative: Collaborative
) -> QuerySet[CollaborativeMembership]:
    return collaborative.memberships.exclude(
        pk__in=collaborative.memberships.current().values("pk")
    ).select_related("organisation")


def collaborative_people_roles(*, collaborative: Collaborative) -> QuerySet[CollaborativeRole]:
    """Leads and faculty."""
    return collaborative.roles.select_related("person").order_by("role", "person__full_name")


def collaborative_with_structure(*, collaborative: Collaborative) -> Collaborative:
    """The collaborative with workstreams, themes and principles prefetched."""
    from qicollab.collaborative.models import Theme, Workstream

    return (
        Collaborative.objects.filter(pk=collaborative.pk)
        .select_related("lead_organisation", "programme")
        .prefetch_related(
            "sponsors",
            Prefetch("workstreams", queryset=Workstream.objects.prefetch_related("leads")),
            Prefetch("themes", queryset=Theme.objects.prefetch_related("principles")),
        )
        .get()
    )


def switchable_collaboratives(*, viewer: Any) -> QuerySet[Collaborative]:
    """Collaboratives the viewer works in (for the header switcher)."""
    r = roles_for(viewer)
    qs = Collaborative.objects.all()
    if not r.is_superuser:
        qs = qs.filter(pk__in=r.visible_collab_ids)
    return qs.order_by("name")


def current_affiliations(*, person: Any) -> QuerySet[Affiliation]:
    """The person's current organisations and roles there (the home page)."""
    return Affiliation.objects.filter(person_id=person.pk, ended_on__isnull=True).select_related(
        "organisation"
    )


def collaborative_roles(*, person: Any) -> QuerySet[CollaborativeRole]:
    """The person's roles in collaboratives: lead, faculty, sponsor (the home page)."""
    return CollaborativeRole.objects.filter(person_id=person.pk).select_related("collaborative")
