"""Who sees a unit's huddle data, and how much (one rule, used by rules, selectors and API).

* **full**: the unit's staff (``UnitMember``) and its organisation's programme managers,
  who act as the organisation's safety leads (see docs/huddles.md): huddle notes, at-risk
  references, actions, harm events with their incident references;
* **counts**: leads, faculty and national admins of a collaborative the organisation belongs
  to: counts, days since the last event, charts. Never free text or patient references;
* anyone else: nothing (the unit's pages answer 404).
"""

from __future__ import annotations

from typing import Any, Literal

from qicollab.accounts.roles import roles_for
from qicollab.organisations.models import Unit, UnitMember

Access = Literal["full", "counts"]
FULL: Access = "full"
COUNTS: Access = "counts"

_CACHE_ATTR = "_qicollab_unit_ids"


def member_unit_ids(user: Any) -> frozenset[int]:
    """Units the person works in (one query per request, cached on the user object)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cached: frozenset[int] | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = frozenset(
            UnitMember.objects.filter(person_id=user.pk).values_list("unit_id", flat=True)
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_unit_ids(user: Any) -> None:
    """Drop the cached unit ids after the person's unit memberships change."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def unit_access(user: Any, unit: Unit) -> Access | None:
    """How much of ``unit``'s huddle data ``user`` may see (``None``: nothing)."""
    roles = roles_for(user)
    if not roles.is_authenticated:
        return None
    if roles.is_superuser or unit.organisation_id in roles.managed_org_ids:
        return FULL
    if unit.pk in member_unit_ids(user):
        return FULL
    if unit.organisation_id in roles.coordinated_org_ids:
        return COUNTS
    return None
