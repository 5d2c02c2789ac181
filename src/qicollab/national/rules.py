"""Permission predicates for designations (used by the admin; pages use the selectors)."""

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


rules.add_perm("national.add_designation", may_change_designation)
rules.add_perm("national.change_designation", may_change_designation)
