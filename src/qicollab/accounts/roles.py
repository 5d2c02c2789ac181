"""What a person may see and do, computed once per request from their memberships.

Every permission predicate (``rules.py`` in each app) and every scoped selector reads the
same :class:`Roles` snapshot, so the pages, the API, the admin and the exports cannot drift
apart. The snapshot costs a handful of queries and is cached on the user object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, F, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Cast
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
    """Read every membership that makes up the snapshot in one query.

    The header asks for permissions on every page, so the snapshot is read on every
    signed-in request: one ``UNION ALL`` of five small, indexed selects instead of five
    round trips (see docs/performance.md). Each row is ``(kind, id, role, organisation)``.
    """
    today = timezone.localdate()
    pk = user.pk
    affiliations = Affiliation.objects.filter(person_id=pk).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=today)
    )
    named = CollaborativeRole.objects.filter(person_id=pk)
    administered = (
        Collaborative.objects.all()
        if user.is_superuser
        else Collaborative.objects.filter(programme__admins=pk)
    )
    current = CollaborativeMembership.objects.current()
    # The collaboratives whose member organisations the snapshot lists: those the person
    # leads, teaches, sponsors or administers, and those one of their organisations is in.
    wanted = (
        Q(collaborative_id__in=named.values("collaborative_id"))
        | Q(collaborative_id__in=administered.values("id"))
        | Q(
            collaborative_id__in=current.filter(
                organisation_id__in=affiliations.values("organisation_id")
            ).values("collaborative_id")
        )
    )
    rows = (
        _rows(affiliations, "org", F("organisation_id"), F("role"), None)
        .union(_rows(named, "named", F("collaborative_id"), F("role"), None), all=True)
        .union(_rows(administered, "admin", F("id"), Value(""), None), all=True)
        .union(
            _rows(current.filter(wanted), "member", F("collaborative_id"), Value(""), True),
            all=True,
        )
    )
    org_roles: dict[int, str] = {}
    by_kind: dict[str, set[int]] = {k: set() for k in CollaborativeRoleKind.values}
    admin: set[int] = set()
    collab_org: dict[int, set[int]] = {}
    for kind, ident, role, org_id in rows:
        if kind == "org":
            org_roles[ident] = role
        elif kind == "named":
            by_kind.setdefault(role, set()).add(ident)
        elif kind == "admin":
            admin.add(ident)
        else:
            collab_org.setdefault(ident, set()).add(org_id)
    member = {cid for cid, orgs in collab_org.items() if not orgs.isdisjoint(org_roles)}
    return Roles(
        person_id=pk,
        is_superuser=bool(user.is_superuser),
        org_roles=org_roles,
        lead_collab_ids=frozenset(by_kind[CollaborativeRoleKind.LEAD]),
        faculty_collab_ids=frozenset(by_kind[CollaborativeRoleKind.FACULTY]),
        sponsor_collab_ids=frozenset(by_kind[CollaborativeRoleKind.SPONSOR]),
        admin_collab_ids=frozenset(admin),
        member_collab_ids=frozenset(member),
        collab_org_ids={k: frozenset(v) for k, v in collab_org.items()},
    )


def _rows(
    qs: QuerySet[Any], kind: str, ident: F, role: F | Value, with_org: bool | None
) -> QuerySet[Any]:
    """One arm of the union: ``(kind, id, role, organisation id or NULL)``, unordered."""
    org: F | Value = F("organisation_id") if with_org else Value(None, IntegerField())
    rows: QuerySet[Any] = (
        qs.order_by()
        .annotate(
            _kind=Value(kind, CharField()),
            _ident=ident,
            _role=Cast(role, CharField()),
            _org=Cast(org, IntegerField()),
        )
        .values_list("_kind", "_ident", "_role", "_org")
    )
    return rows
