"""Object permissions for the collaborative hub's coordinator pages (the ``rules`` package).

Read with ``user.has_perm("collaborative.view_dashboard", collaborative)``. Callers first
find the collaborative through ``organisations.selectors.collaborative_get`` (404 for those
who may not know it exists), then check these (403 for those who may see it but not this).

* **Dashboard** (aggregate figures, no project detail): leads, faculty, sponsors and the
  national programme's admins.
* **Coaching view** (named projects, their ratings and how long they have been quiet):
  leads, faculty and national admins see every project of the collaborative; an
  organisation's programme manager sees the projects their organisation leads there, the
  teams they coordinate locally. Sponsors, staff and partners do not: it is a coaching tool
  and names teams that are falling behind.
"""

from __future__ import annotations

from typing import Any

import rules

from qicollab.accounts.roles import roles_for
from qicollab.organisations.models import Collaborative


def coaching_org_ids(user: Any, collab: Collaborative) -> frozenset[int] | None:
    """Whose projects the person may coach here: ``None`` for all of them (coordinators), a
    set of lead-organisation ids for a programme manager, an empty set for nobody."""
    r = roles_for(user)
    if r.is_superuser or collab.pk in r.coordinator_collab_ids:
        return None
    return r.managed_org_ids & r.collab_org_ids.get(collab.pk, frozenset())


@rules.predicate
def can_view_dashboard(user: Any, collab: Collaborative | None) -> bool:
    r = roles_for(user)
    allowed = r.coordinator_collab_ids | r.sponsor_collab_ids
    if collab is None:
        return r.is_superuser or bool(allowed)
    return r.is_superuser or collab.pk in allowed


@rules.predicate
def can_view_coaching(user: Any, collab: Collaborative | None) -> bool:
    r = roles_for(user)
    if collab is None:
        return r.is_superuser or bool(r.coordinator_collab_ids or r.managed_org_ids)
    ids = coaching_org_ids(user, collab)
    return ids is None or bool(ids)


rules.add_perm("collaborative.view_dashboard", can_view_dashboard)
rules.add_perm("collaborative.view_coaching", can_view_coaching)
