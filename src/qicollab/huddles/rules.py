"""Permission predicates of huddles (see :mod:`qicollab.huddles.access` for the rule)."""

from __future__ import annotations

from typing import Any

import rules

from qicollab.accounts.roles import roles_for
from qicollab.huddles.access import FULL, unit_access


def _unit(obj: Any) -> Any:
    # A huddle, action or event is about its unit; a unit is about itself.
    return getattr(obj, "unit", obj)


@rules.predicate
def may_view_unit_safety(user: Any, obj: Any = None) -> bool:
    """Counts and charts: the unit's staff, safety leads and collaborative coordinators."""
    return obj is not None and unit_access(user, _unit(obj)) is not None


@rules.predicate
def may_record_huddle(user: Any, obj: Any = None) -> bool:
    """Huddle notes, references and recording: the unit's staff and the safety leads.

    Without an object (the admin asking whether to list any rows): the safety leads."""
    if obj is None:
        roles = roles_for(user)
        return bool(roles.is_superuser or roles.managed_org_ids)
    return unit_access(user, _unit(obj)) == FULL


rules.add_perm("huddles.view_unit_counts", may_view_unit_safety)
rules.add_perm("huddles.view_huddle", may_record_huddle)
rules.add_perm("huddles.add_huddle", may_record_huddle)
rules.add_perm("huddles.change_huddle", may_record_huddle)
rules.add_perm("huddles.view_harmevent", may_record_huddle)
rules.add_perm("huddles.add_harmevent", may_record_huddle)
rules.add_perm("huddles.change_harmevent", may_record_huddle)
rules.add_perm("huddles.view_huddleaction", may_record_huddle)
rules.add_perm("huddles.change_huddleaction", may_record_huddle)


@rules.predicate
def may_open_huddles(user: Any) -> bool:
    """Whether the navigation offers "Safety huddles": anyone in an organisation or
    coordinating a collaborative (from the roles snapshot, so no extra query per page;
    the huddles index then lists only the units they may see)."""
    roles = roles_for(user)
    return bool(roles.is_superuser or roles.own_org_ids or roles.coordinator_collab_ids)


rules.add_perm("huddles.view_any", may_open_huddles)


@rules.predicate
def may_change_categories(user: Any, obj: Any = None) -> bool:
    """An organisation's programme managers (its safety leads) configure its categories."""
    roles = roles_for(user)
    if obj is None:
        return bool(roles.is_superuser or roles.managed_org_ids)
    return roles.is_superuser or obj.organisation_id in roles.managed_org_ids


rules.add_perm("huddles.change_harmcategory", may_change_categories)
