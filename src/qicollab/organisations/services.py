"""Writes to organisations, collaboratives and memberships. Each records who made it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from qicollab.accounts.models import Person
from qicollab.accounts.roles import forget_roles
from qicollab.core.services import ServiceError, apply_fields, attribute, check_version, save_as
from qicollab.organisations.models import (
    Affiliation,
    AffiliationRole,
    Collaborative,
    CollaborativeMembership,
    CollaborativeRole,
    Organisation,
    Unit,
    UnitMember,
)


class MembershipError(ServiceError):
    """A membership change that breaks a business rule."""


def unique_slug(model: type[Any], text: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(text)[:70] or "item"
    slug, n = base, 2
    qs = model._default_manager.all()
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    while qs.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def organisation_create(*, actor: Person, data: dict[str, Any]) -> Organisation:
    """Create an organisation from cleaned form data."""
    org = Organisation(**data)
    org.slug = unique_slug(Organisation, org.short_name or org.name)
    save_as(org, actor)
    return org


@transaction.atomic
def organisation_update(
    *, actor: Person, organisation: Organisation, data: dict[str, Any], loaded_version: str = ""
) -> Organisation:
    """Update an organisation; raises ``EditConflict`` if someone saved it meanwhile."""
    check_version(organisation, loaded_version)
    if apply_fields(organisation, data):
        save_as(organisation, actor)
    return organisation


@transaction.atomic
def collaborative_update(
    *, actor: Person, collaborative: Collaborative, data: dict[str, Any], loaded_version: str = ""
) -> Collaborative:
    """Update a collaborative's details; sponsors are set if given."""
    check_version(collaborative, loaded_version)
    sponsors = data.pop("sponsors", None)
    if apply_fields(collaborative, data):
        save_as(collaborative, actor)
    if sponsors is not None:
        attribute(collaborative, actor)
        collaborative.sponsors.set(sponsors)
    return collaborative


@transaction.atomic
def membership_add(
    *,
    actor: Person,
    collaborative: Collaborative,
    organisation: Organisation,
    programme_manager: Person | None = None,
    joined_on: dt.date | None = None,
) -> CollaborativeMembership:
    """Bring an organisation into a collaborative."""
    if collaborative.memberships.current().filter(organisation=organisation).exists():
        raise MembershipError(f"{organisation} is already a member of {collaborative}.")
    membership = CollaborativeMembership(
        collaborative=collaborative,
        organisation=organisation,
        programme_manager=programme_manager,
    )
    if joined_on:
        membership.joined_on = joined_on
    save_as(membership, actor)
    if programme_manager is not None:
        affiliation_set(
            actor=actor,
            person=programme_manager,
            organisation=organisation,
            role=AffiliationRole.PROGRAMME_MANAGER,
        )
    return membership


@transaction.atomic
def membership_end(
    *, actor: Person, membership: CollaborativeMembership, left_on: dt.date
) -> CollaborativeMembership:
    """Record that an organisation left a collaborative (its history is kept)."""
    if left_on < membership.joined_on:
        raise MembershipError("The date it left must be on or after the date it joined.")
    membership.left_on = left_on
    save_as(membership, actor)
    return membership


@transaction.atomic
def membership_set_programme_manager(
    *, actor: Person, membership: CollaborativeMembership, person: Person | None
) -> CollaborativeMembership:
    """Name the organisation's link person for this collaborative."""
    membership.programme_manager = person
    save_as(membership, actor)
    if person is not None:
        affiliation_set(
            actor=actor,
            person=person,
            organisation=membership.organisation,
            role=AffiliationRole.PROGRAMME_MANAGER,
        )
    return membership


@transaction.atomic
def affiliation_set(
    *, actor: Person | None, person: Person, organisation: Organisation, role: str
) -> Affiliation:
    """Give ``person`` a current role at ``organisation`` (creating or changing it)."""
    affiliation = Affiliation.objects.filter(
        person=person, organisation=organisation, ended_on__isnull=True
    ).first()
    if affiliation is None:
        affiliation = Affiliation(person=person, organisation=organisation, role=role)
    else:
        affiliation.role = role
    save_as(affiliation, actor)
    forget_roles(person)
    return affiliation


@transaction.atomic
def affiliation_end(*, actor: Person, affiliation: Affiliation, ended_on: dt.date) -> Affiliation:
    affiliation.ended_on = ended_on
    save_as(affiliation, actor)
    forget_roles(affiliation.person)
    return affiliation


@transaction.atomic
def collaborative_role_set(
    *,
    actor: Person | None,
    person: Person,
    collaborative: Collaborative,
    role: str,
    title: str = "",
) -> CollaborativeRole:
    obj, _ = CollaborativeRole.objects.get_or_create(
        person=person, collaborative=collaborative, role=role, defaults={"title": title}
    )
    if title and obj.title != title:
        obj.title = title
        save_as(obj, actor)
    forget_roles(person)
    return obj


class UnitError(ServiceError):
    """A unit (ward, team, service) change that breaks a business rule."""


@transaction.atomic
def unit_create(
    *,
    actor: Person | None,
    organisation: Organisation,
    name: str,
    kind: str = "ward",
    opened_on: dt.date | None = None,
    beds: int | None = None,
) -> Unit:
    """Create a unit in ``organisation``; names are unique within the organisation."""
    name = name.strip()
    if not name:
        raise UnitError("Enter the unit's name", field="name")
    if Unit.objects.filter(organisation=organisation, name__iexact=name).exists():
        raise UnitError(f"{organisation} already has a unit called {name}", field="name")
    slug = slugify(name)[:70] or "unit"
    base, n = slug, 2
    while Unit.objects.filter(organisation=organisation, slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    unit = Unit(organisation=organisation, name=name, slug=slug, kind=kind, beds=beds)
    if opened_on is not None:
        unit.opened_on = opened_on
    save_as(unit, actor)
    return unit


@transaction.atomic
def unit_member_set(*, actor: Person | None, unit: Unit, person: Person, role: str) -> UnitMember:
    """Make ``person`` a member (or the leader) of ``unit``, creating or changing the row."""
    member = UnitMember.objects.filter(unit=unit, person=person).first()
    if member is None:
        member = UnitMember(unit=unit, person=person, role=role)
    else:
        member.role = role
    save_as(member, actor)
    return member
