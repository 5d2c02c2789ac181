"""Object permissions for organisations and collaboratives (the ``rules`` package).

Read with ``user.has_perm("organisations.view_organisation", org)``. Predicates take the
object; with no object they answer "could this person do it to any object?", which the
admin uses for its menus.
"""

from __future__ import annotations

from typing import Any

import rules

from qicollab.accounts.roles import roles_for
from qicollab.organisations.models import Collaborative, CollaborativeMembership, Organisation


def is_unattached(org: Organisation) -> bool:
    """True if the organisation is not a current member of any collaborative."""
    return not CollaborativeMembership.objects.current().filter(organisation=org).exists()


@rules.predicate
def can_view_organisation(user: Any, org: Organisation | None) -> bool:
    """Own and peer organisations; national admins see every organisation's page.

    Collaborative leads also see organisations that belong to no collaborative yet, so
    they can bring in one they (or anyone) added. Staff lists stay private either way.
    """
    r = roles_for(user)
    if org is None:
        return bool(r.visible_org_ids) or r.is_national_admin
    if r.is_superuser or r.is_national_admin or org.pk in r.visible_org_ids:
        return True
    return bool(r.lead_collab_ids) and is_unattached(org)


@rules.predicate
def can_view_organisation_people(user: Any, org: Organisation | None) -> bool:
    """Staff lists are private: own organisation, its collaboratives' faculty, and admins."""
    r = roles_for(user)
    if org is None:
        return bool(r.own_org_ids or r.coordinated_org_ids)
    return r.is_superuser or org.pk in r.own_org_ids or org.pk in r.coordinated_org_ids


@rules.predicate
def can_change_organisation(user: Any, org: Organisation | None) -> bool:
    r = roles_for(user)
    if org is None:
        return bool(r.managed_org_ids) or r.is_national_admin
    return r.is_superuser or org.pk in r.managed_org_ids or org.pk in r.orgs_in(r.admin_collab_ids)


@rules.predicate
def can_invite_to_organisation(user: Any, org: Organisation | None) -> bool:
    """Programme managers invite their own staff (national admins may too)."""
    return bool(can_change_organisation(user, org))


@rules.predicate
def can_add_organisation(user: Any, obj: Any = None) -> bool:
    r = roles_for(user)
    return r.is_national_admin or bool(r.lead_collab_ids)


@rules.predicate
def can_view_collaborative(user: Any, collab: Collaborative | None) -> bool:
    """The public page is open to all when the collaborative is public."""
    if collab is None:
        return True
    return collab.is_public or collab.pk in roles_for(user).visible_collab_ids


@rules.predicate
def can_view_collaborative_internals(user: Any, collab: Collaborative | None) -> bool:
    """Member-only parts: people, programme managers' contact details, invitations."""
    r = roles_for(user)
    if collab is None:
        return bool(r.visible_collab_ids)
    return r.is_superuser or collab.pk in r.visible_collab_ids


@rules.predicate
def can_change_collaborative(user: Any, collab: Collaborative | None) -> bool:
    r = roles_for(user)
    if collab is None:
        return bool(r.managing_collab_ids)
    return r.is_superuser or collab.pk in r.managing_collab_ids


@rules.predicate
def can_add_collaborative(user: Any, obj: Any = None) -> bool:
    return roles_for(user).is_national_admin


rules.add_perm("organisations.view_organisation", can_view_organisation)
rules.add_perm("organisations.view_organisation_people", can_view_organisation_people)
rules.add_perm("organisations.change_organisation", can_change_organisation)
rules.add_perm("organisations.invite_to_organisation", can_invite_to_organisation)
rules.add_perm("organisations.add_organisation", can_add_organisation)
rules.add_perm("organisations.view_collaborative", can_view_collaborative)
rules.add_perm("organisations.view_collaborative_internals", can_view_collaborative_internals)
rules.add_perm("organisations.change_collaborative", can_change_collaborative)
rules.add_perm("organisations.manage_collaborative_members", can_change_collaborative)
rules.add_perm("organisations.add_collaborative", can_add_collaborative)
