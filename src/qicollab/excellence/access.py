"""Which organisations a person leads Learning from Excellence for, read once per request.

Like the roles snapshot: one query, cached on the user object. A person who leaves the
organisation loses the role at once (only organisations they still belong to count).
"""

from __future__ import annotations

from typing import Any

from qicollab.accounts.roles import roles_for

_CACHE_ATTR = "_qicollab_lfe_leads"


def lead_org_ids(user: Any) -> frozenset[int]:
    """Organisations ``user`` is an LfE lead of (and still works for)."""
    r = roles_for(user)
    if not r.is_authenticated:
        return frozenset()
    cached: frozenset[int] | None = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    from qicollab.excellence.models import LfeLead

    ids = frozenset(
        o
        for o in LfeLead.objects.filter(person_id=user.pk).values_list("organisation_id", flat=True)
        if o in r.own_org_ids
    )
    setattr(user, _CACHE_ATTR, ids)
    return ids


def forget_leads(user: Any) -> None:
    """Drop the cached answer after the person's LfE roles change."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
