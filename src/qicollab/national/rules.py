"""Permission predicates for designations (used by the admin; pages use the selectors) and
for showing the national roll-up in the navigation (the pages check rows themselves)."""

from __future__ import annotations

from typing import Any

import rules

from qicollab.accounts.roles import roles_for


@rules.predicate
def may_change_designation(user: Any, obj: Any = None) -> bool:
    roles = roles_for(user)
    if obj is None:
        return bool(roles.managing_collab_ids or roles.managed_org_ids)
    return (
        obj.collaborative_id in roles.managing_collab_ids
        or obj.organisation_id in roles.managed_org_ids
    )


@rules.predicate
def may_view_rollup(user: Any) -> bool:
    """National admins and collaborative leads: the people who see a roll-up row
    (see :func:`qicollab.national.selectors.rollup_collab_ids`)."""
    roles = roles_for(user)
    return bool(roles.admin_collab_ids or roles.lead_collab_ids)


rules.add_perm("national.view_rollup", may_view_rollup)
rules.add_perm("national.add_designation", may_change_designation)
rules.add_perm("national.change_designation", may_change_designation)
