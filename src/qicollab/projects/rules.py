"""Who may see and change a project (the ``rules`` package).

Three levels, each including the one before:

* **view**: follows the project's sharing level (see :func:`can_view_project`);
* **edit content** (aim, co-production, driver diagram, PDSA cycles, self-assessment,
  title and status): anyone on the team, whatever their team role;
* **manage** (team, sharing, organisations, stopping the project): project leads, the
  lead organisation's programme manager, the collaborative's leads and faculty, national
  admins of its programme.

Progress ratings have their own rules, because the self-versus-faculty gap compares two
independent views: the team's self-rating belongs to people on the team only (not to the
faculty, leads or programme managers who coach or manage it); the faculty rating belongs to
the collaborative's leads, faculty and national admins only.
:func:`qicollab.projects.selectors.project_list` mirrors :func:`can_view_project` in SQL;
a test checks the two agree for every persona and sharing level.
"""

from __future__ import annotations

from typing import Any

import rules

from qicollab.accounts.roles import roles_for
from qicollab.organisations.models import AffiliationRole
from qicollab.projects.models import Project, ProjectMember, Sharing, TeamRole

_CACHE_ATTR = "_qicollab_project_roles"

# Affiliation roles that may start a project at their organisation (viewers only read).
CREATOR_ROLES = frozenset(
    {AffiliationRole.PROGRAMME_MANAGER, AffiliationRole.STAFF, AffiliationRole.PARTNER}
)


def project_roles(user: Any) -> dict[int, str]:
    """Project id -> the person's team role, for every project they are on.

    One query per request: the answer is cached on the user object, like the Roles snapshot,
    so a page that checks permissions on fifty projects still asks once.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return {}
    cached: dict[int, str] | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = dict(
            ProjectMember.objects.filter(person_id=user.pk).values_list("project_id", "role")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_project_roles(user: Any) -> None:
    """Drop the cached team roles after the person's project memberships change."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def project_role(user: Any, project: Project) -> str | None:
    """The person's role on the project's team, or ``None``."""
    return project_roles(user).get(project.pk)


def _coordinates(user: Any, project: Project) -> bool:
    r = roles_for(user)
    return r.is_superuser or project.collaborative_id in r.coordinator_collab_ids


def _manages(user: Any, project: Project) -> bool:
    r = roles_for(user)
    return (
        _coordinates(user, project)
        or project.lead_organisation_id in r.managed_org_ids
        or project_role(user, project) == TeamRole.LEAD
    )


@rules.predicate
def can_view_project(user: Any, project: Project | None) -> bool:
    """Sharing decides who reads a project.

    private: the team, the lead organisation's programme manager, the collaborative's leads,
    faculty and national admins; organisation: also everyone at the lead and partner
    organisations; collaborative: also everyone at the collaborative's member organisations;
    public: anyone, including visitors who are not logged in.
    """
    if project is None:
        return True
    if project.sharing == Sharing.PUBLIC:
        return True
    r = roles_for(user)
    if not r.is_authenticated:
        return False
    if _manages(user, project) or project_role(user, project) is not None:
        return True
    if project.sharing == Sharing.PRIVATE:
        return False
    if project.sharing == Sharing.COLLABORATIVE and project.collaborative_id in r.member_collab_ids:
        return True
    # organisation and collaborative sharing: everyone at the lead and partner organisations.
    return bool(r.own_org_ids & project.organisation_ids)


@rules.predicate
def can_change_project_content(user: Any, project: Project | None) -> bool:
    if project is None:
        return roles_for(user).is_authenticated
    return project_role(user, project) is not None or _manages(user, project)


@rules.predicate
def can_manage_project(user: Any, project: Project | None) -> bool:
    if project is None:
        return roles_for(user).is_authenticated
    return _manages(user, project)


@rules.predicate
def can_rate_as_faculty(user: Any, project: Project | None) -> bool:
    if project is None:
        return bool(roles_for(user).coordinator_collab_ids)
    return _coordinates(user, project)


@rules.predicate
def can_rate_as_team(user: Any, project: Project | None) -> bool:
    """Only someone on the project's team may record the team's own (self) rating."""
    if project is None:
        return bool(project_roles(user))
    return project_role(user, project) is not None


@rules.predicate
def can_add_project(user: Any, obj: Any = None) -> bool:
    """Staff, programme managers and partners of a member organisation, and coordinators."""
    r = roles_for(user)
    if not r.is_authenticated:
        return False
    if r.is_superuser or r.coordinator_collab_ids:
        return True
    own = {o for o, role in r.org_roles.items() if role in CREATOR_ROLES}
    return bool(own & r.orgs_in(r.member_collab_ids))


rules.add_perm("projects.view_project", can_view_project)
rules.add_perm("projects.add_project", can_add_project)
rules.add_perm("projects.change_project", can_change_project_content)
rules.add_perm("projects.manage_project", can_manage_project)
rules.add_perm("projects.rate_project_as_faculty", can_rate_as_faculty)
rules.add_perm("projects.rate_project_as_team", can_rate_as_team)
