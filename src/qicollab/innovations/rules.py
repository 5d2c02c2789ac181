"""Who may see, change and adopt an innovation (the ``rules`` package).

* **view** follows the innovation's sharing level: ``collaborative`` — everyone who may see
  the collaborative's member pages (its member organisations' people, its leads, faculty,
  sponsors and national admins); ``all`` — everyone in any collaborative; ``public`` —
  anyone, without logging in. The evidence charts are a separate question: they are the
  source project's measures, so they follow ``projects.view_project`` on that project.
* **change** (the text, package and resources): the source project's team and managers
  (``projects.change_project``), the lead organisation's programme manager and the
  collaborative's leads and faculty.
* **adopt**: staff, programme managers and lived-experience partners of an organisation in
  any collaborative (viewers only read), for an innovation they may see.
* **change an adoption**: the same people at the adopting organisation, and anyone who may
  edit the project the adoption is linked to.

:func:`qicollab.innovations.selectors.visible_innovations` mirrors :func:`can_view_innovation`
in SQL; a test checks the two agree for every persona.
"""

from __future__ import annotations

from typing import Any

import rules

from qicollab.accounts.roles import roles_for
from qicollab.innovations.models import Adoption, Innovation, Sharing
from qicollab.projects.rules import CREATOR_ROLES, can_change_project_content


def creator_org_ids(user: Any) -> frozenset[int]:
    """Organisations where ``user`` may start work (staff, programme manager, partner)."""
    r = roles_for(user)
    all_members = r.orgs_in(frozenset(r.collab_org_ids))
    return frozenset(o for o, role in r.org_roles.items() if role in CREATOR_ROLES) & all_members


@rules.predicate
def can_view_innovation(user: Any, innovation: Innovation | None) -> bool:
    if innovation is None:
        return True
    if innovation.sharing == Sharing.PUBLIC:
        return True
    r = roles_for(user)
    if not r.is_authenticated:
        return False
    if r.is_superuser or innovation.organisation_id in r.own_org_ids:
        return True
    if innovation.sharing == Sharing.ALL:
        return bool(r.visible_collab_ids)
    return innovation.collaborative_id in r.visible_collab_ids


@rules.predicate
def can_change_innovation(user: Any, innovation: Innovation | None) -> bool:
    r = roles_for(user)
    if innovation is None:
        return r.is_authenticated
    if r.is_superuser or innovation.collaborative_id in r.coordinator_collab_ids:
        return True
    if innovation.organisation_id in r.managed_org_ids:
        return True
    project = innovation.project
    return project is not None and bool(can_change_project_content(user, project))


@rules.predicate
def can_adopt(user: Any, innovation: Innovation | None) -> bool:
    if not creator_org_ids(user):
        return False
    return innovation is None or bool(can_view_innovation(user, innovation))


@rules.predicate
def can_change_adoption(user: Any, adoption: Adoption | None) -> bool:
    r = roles_for(user)
    if adoption is None:
        return r.is_authenticated
    if r.is_superuser or adoption.organisation_id in creator_org_ids(user):
        return True
    return adoption.project is not None and bool(can_change_project_content(user, adoption.project))


rules.add_perm("innovations.view_innovation", can_view_innovation)
rules.add_perm("innovations.change_innovation", can_change_innovation)
rules.add_perm("innovations.adopt_innovation", can_adopt)
rules.add_perm("innovations.change_adoption", can_change_adoption)


@rules.predicate
def can_view_adoption(user: Any, adoption: Adoption | None) -> bool:
    return adoption is None or bool(can_view_innovation(user, adoption.innovation))


rules.add_perm("innovations.view_adoption", can_view_adoption)
