"""Object permissions for people and their API tokens."""

from __future__ import annotations

from typing import Any

import rules

from qicollab.accounts.models import Person
from qicollab.accounts.roles import roles_for


def person_org_ids(person: Person) -> frozenset[int]:
    """The organisations ``person`` currently belongs to (their own Roles snapshot)."""
    return roles_for(person).own_org_ids


@rules.predicate
def can_view_person(user: Any, person: Person | None) -> bool:
    """Colleagues, the faculty of their collaboratives, and admins see a person's profile.

    Programme managers, leads, faculty and sponsors are also visible to every member of
    their collaboratives: they are the collaborative's named contacts (the hub page lists
    them, and :func:`qicollab.accounts.selectors.person_list` mirrors this rule in SQL). A
    national admin's role over a whole programme does not make them one.
    """
    r = roles_for(user)
    if person is None:
        return r.is_authenticated
    if not r.is_authenticated:
        return False
    if r.is_superuser or person.pk == r.person_id:
        return True
    theirs = roles_for(person)
    if theirs.own_org_ids & (r.own_org_ids | r.coordinated_org_ids):
        return True
    return bool(
        (theirs.managed_org_ids & r.visible_org_ids)
        or (theirs.named_contact_collab_ids & r.visible_collab_ids)
    )


@rules.predicate
def can_change_person(user: Any, person: Person | None) -> bool:
    r = roles_for(user)
    if person is None:
        return r.is_authenticated
    return r.is_superuser or person.pk == r.person_id


@rules.predicate
def can_see_lived_experience(user: Any, person: Person | None) -> bool:
    """Lived experience is personal: the person, their collaboratives' leads and admins see it.

    Faculty and colleagues do not; the pages and the API both ask this one question.
    """
    r = roles_for(user)
    if person is None or not r.is_authenticated:
        return False
    if r.is_superuser or person.pk == r.person_id:
        return True
    return bool(roles_for(person).own_org_ids & r.orgs_in(r.managing_collab_ids))


rules.add_perm("accounts.view_person", can_view_person)
rules.add_perm("accounts.change_person", can_change_person)
rules.add_perm("accounts.view_lived_experience", can_see_lived_experience)
