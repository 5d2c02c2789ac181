"""What a person may see and do, computed once per request from their memberships.

Every permission predicate (``rules.py`` in each app) and every scoped selector reads the
same :class:`Roles` snapshot, so the pages, the API, the admin and the exports cannot drift
apart. The snapshot costs a handful of queries and is cached on the user object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from qicollab.organisations.models import (
    Affiliation,
    AffiliationRole,
    Collaborative,
    CollaborativeMembership,
    CollaborativeRole,
    CollaborativeRoleKind,
)

_CACHE_ATTR = "_qicollab_roles"


@dataclass(frozen=True)
class Roles:
    """A person's roles, as sets of ids. An anonymous visitor has empty sets."""

    person_id: int | None = None
    is_superuser: bool = False
    # organisation id -> the person's role there (programme_manager, staff, partner, viewer)
    org_roles: dict[int, str] = field(default_factory=dict)
    lead_collab_ids: frozenset[int] = frozenset()
    faculty_collab_ids: frozenset[int] = frozenset()
    # collaboratives this person sponsors (a senior sponsor: sees the collaborative's member
    # pages and its dashboard, but is not a coordinator and sees no private project)
    sponsor_collab_ids: frozenset[int] = frozenset()
    # collaboratives of the national programmes this person administers
    admin_collab_ids: frozenset[int] = frozenset()
    # collaboratives in which one of the person's organisations is a current member
    member_collab_ids: frozenset[int] = frozenset()
    # collaborative id -> ids of its current member organisations (for the collaboratives above)
    collab_org_ids: dict[int, frozenset[int]] = field(default_factory=dict)

    @property
    def is_authenticated(self) -> bool:
        return self.person_id is not None

    @property
    def is_national_admin(self) -> bool:
        return self.is_superuser or bool(self.admin_collab_ids)

    @property
    def named_contact_collab_ids(self) -> frozenset[int]:
        """Collaboratives that name this person as a lead, faculty member or sponsor (a
        ``CollaborativeRole``): members of those collaboratives may look them up."""
        return self.lead_collab_ids | self.faculty_collab_ids | self.sponsor_collab_ids

    @property
    def coordinator_collab_ids(self) -> frozenset[int]:
        """Collaboratives this person leads, teaches or administers nationally."""
        return self.lead_collab_ids | self.faculty_collab_ids | self.admin_collab_ids

    @property
    def managing_collab_ids(self) -> frozenset[int]:
        """Collaboratives this person may change: leads and national admins."""
        return self.lead_collab_ids | self.admin_collab_ids

    @property
    def visible_collab_ids(self) -> frozenset[int]:
        return self.coordinator_collab_ids | self.member_collab_ids | self.sponsor_collab_ids

    @property
    def own_org_ids(self) -> frozenset[int]:
        return frozenset(self.org_roles)

    @property
    def managed_org_ids(self) -> frozenset[int]:
        """Organisations whose programme manager this person is."""
        return frozenset(
            o for o, r in self.org_roles.items() if r == AffiliationRole.PROGRAMME_MANAGER
        )

    def orgs_in(self, collab_ids: frozenset[int]) -> frozenset[int]:
        out: set[int] = set()
        for cid in collab_ids:
            out |= self.collab_org_ids.get(cid, frozenset())
        return frozenset(out)

    @property
    def coordinated_org_ids(self) -> frozenset[int]:
        """Member organisations of the collaboratives this person leads, teaches or runs."""
        return self.orgs_in(self.coordinator_collab_ids)

    @property
    def visible_org_ids(self) -> frozenset[int]:
        """Organisations whose pages this person may open: their own and their peers'."""
        return self.own_org_ids | self.orgs_in(self.visible_collab_ids)

    def role_in(self, org_id: int) -> str | None:
        return self.org_roles.get(org_id)


ANONYMOUS = Roles()


def roles_for(user: Any) -> Roles:
    """Return (and cache on the user object) the roles of ``user``."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached: Roles | None = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    roles = _compute(user)
    setattr(user, _CACHE_ATTR, roles)
    return roles


def forget_roles(user: Any) -> None:
    """Drop the cached snapshot after the person's memberships change."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _compute(user: Any) -> Roles:
    today = timezone.localdate()
    org_roles = dict(
        Affiliation.objects.filter(person_id=user.pk)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .values_list("organisation_id", "role")
    )
    by_kind: dict[str, set[int]] = {k: set() for k in CollaborativeRoleKind.values}
    for cid, role in CollaborativeRole.objects.filter(person_id=user.pk).values_list(
        "collaborative_id", "role"
    ):
        by_kind.setdefault(role, set()).add(cid)
    lead = by_kind[CollaborativeRoleKind.LEAD]
    faculty = by_kind[CollaborativeRoleKind.FACULTY]
    sponsor = by_kind[CollaborativeRoleKind.SPONSOR]
    if user.is_superuser:
        admin = set(Collaborative.objects.values_list("id", flat=True))
    else:
        admin = set(
            Collaborative.objects.filter(programme__admins=user.pk).values_list("id", flat=True)
        )
    current = CollaborativeMembership.objects.current()
    member = set(
        current.filter(organisation_id__in=org_roles).values_list("collaborative_id", flat=True)
    )
    collab_org: dict[int, set[int]] = {}
    for cid, oid in current.filter(
        collaborative_id__in=lead | faculty | admin | member | sponsor
    ).values_list("collaborative_id", "organisation_id"):
        collab_org.setdefault(cid, set()).add(oid)
    return Roles(
        person_id=user.pk,
        is_superuser=bool(user.is_superuser),
        org_roles=org_roles,
        lead_collab_ids=frozenset(lead),
        faculty_collab_ids=frozenset(faculty),
        sponsor_collab_ids=frozenset(sponsor),
        admin_collab_ids=frozenset(admin),
        member_collab_ids=frozenset(member),
        collab_org_ids={k: frozenset(v) for k, v in collab_org.items()},
    )
