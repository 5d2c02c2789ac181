"""Writes to projects, their teams and co-production. Each records who made it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from qicollab.accounts.models import Person
from qicollab.collaborative.models import Theme, Workstream
from qicollab.core.services import (
    ServiceError,
    apply_fields,
    attribute,
    check_version,
    delete_as,
    save_as,
)
from qicollab.organisations.models import Collaborative, Organisation
from qicollab.organisations.services import unique_slug
from qicollab.projects.models import (
    Aim,
    CoProduction,
    Project,
    ProjectMember,
    Sharing,
    Tag,
    TeamRole,
)
from qicollab.projects.rules import forget_project_roles


class ProjectError(ServiceError):
    """A project change that breaks a business rule; ``field`` names its form field."""


TAG_MAX = 50


def parse_tags(text: str | Iterable[str]) -> list[str]:
    """'Falls, falls , restrictive practice' -> ['Falls', 'restrictive practice'].

    Duplicates differing only in case or spacing count once; the first spelling wins.
    """
    raw = text.split(",") if isinstance(text, str) else list(text)
    seen: dict[str, str] = {}
    for item in raw:
        name = " ".join(str(item).split())
        if not name:
            continue
        if len(name) > TAG_MAX:
            raise ProjectError(
                f"Keep each tag to {TAG_MAX} characters: '{name[:20]}…' is longer.", "tags"
            )
        key = slugify(name)
        if not key:
            raise ProjectError(f"The tag '{name}' needs at least one letter or number.", "tags")
        seen.setdefault(key, name)
    return list(seen.values())


def _tags(collaborative: Collaborative, names: list[str], actor: Person) -> list[Tag]:
    tags = []
    for name in names:
        tag = Tag.objects.filter(collaborative=collaborative, slug=slugify(name)).first()
        if tag is None:
            tag = Tag(collaborative=collaborative, name=name, slug=slugify(name))
            save_as(tag, actor)
        tags.append(tag)
    return tags


def _check_structure(
    collaborative: Collaborative, workstream: Workstream | None, themes: Iterable[Theme]
) -> None:
    if workstream is not None and workstream.collaborative_id != collaborative.pk:
        raise ProjectError("Choose a workstream of the project's collaborative.", "workstream")
    if any(t.collaborative_id != collaborative.pk for t in themes):
        raise ProjectError("Choose themes of the project's collaborative.", "themes")


@transaction.atomic
def project_create(
    *,
    actor: Person,
    collaborative: Collaborative,
    lead_organisation: Organisation,
    title: str,
    sharing: str = Sharing.PRIVATE,
    workstream: Workstream | None = None,
    summary: str = "",
    themes: Iterable[Theme] = (),
    tags: str | Iterable[str] = "",
) -> Project:
    """Start a project; the person who starts it is its first project lead."""
    from qicollab.projects.selectors import creation_organisations

    if (
        not creation_organisations(viewer=actor, collaborative=collaborative)
        .filter(pk=lead_organisation.pk)
        .exists()
    ):
        raise ProjectError(
            f"{lead_organisation} cannot lead a project in {collaborative}: choose a member "
            "organisation you work for.",
            "lead_organisation",
        )
    themes = list(themes)
    _check_structure(collaborative, workstream, themes)
    names = parse_tags(tags)
    project = Project(
        title=" ".join(title.split()),
        summary=summary,
        collaborative=collaborative,
        lead_organisation=lead_organisation,
        workstream=workstream,
        sharing=sharing,
        created_by=actor,
    )
    # 'new' would shadow the URL that starts a project.
    project.slug = unique_slug(
        Project, project.title if slugify(project.title) != "new" else f"{project.title} project"
    )
    save_as(project, actor)
    attribute(project, actor)
    if themes:
        project.themes.set(themes)
    if names:
        project.tags.set(_tags(collaborative, names, actor))
    save_as(Aim(project=project), actor)
    save_as(ProjectMember(project=project, person=actor, role=TeamRole.LEAD), actor)
    forget_project_roles(actor)
    return project


@transaction.atomic
def project_update(
    *, actor: Person, project: Project, data: dict[str, Any], loaded_version: str = ""
) -> Project:
    """Change a project's details; raises ``EditConflict`` if someone saved it meanwhile.

    ``data`` may hold title, summary, status, stop_reason, start_date, end_date,
    workstream, themes (list) and tags (text or list of names).
    """
    check_version(project, loaded_version)
    data = dict(data)
    if (
        data.get("status") == "stopped"
        and project.status != "stopped"
        and not actor.has_perm("projects.manage_project", project)
    ):
        raise ProjectError(
            "Only a project lead, the programme manager or the faculty can stop a project.",
            "status",
        )
    themes = data.pop("themes", None)
    tags = data.pop("tags", None)
    _check_structure(
        project.collaborative, data.get("workstream", project.workstream), themes or ()
    )
    names = parse_tags(tags) if tags is not None else None
    if "title" in data:
        data["title"] = " ".join(data["title"].split())
    changed = apply_fields(project, data)
    if changed:
        save_as(project, actor)
    attribute(project, actor)
    if themes is not None:
        project.themes.set(themes)
    if names is not None:
        project.tags.set(_tags(project.collaborative, names, actor))
    return project


@transaction.atomic
def project_set_sharing(
    *,
    actor: Person,
    project: Project,
    sharing: str,
    partner_organisations: Iterable[Organisation],
    loaded_version: str = "",
) -> Project:
    """Who may read the project, and which organisations it is shared with as partners."""
    check_version(project, loaded_version)
    partners = [o for o in partner_organisations if o.pk != project.lead_organisation_id]
    project.sharing = sharing
    save_as(project, actor)  # always saved: the version token moves with every sharing change
    attribute(project, actor)
    project.partner_organisations.set(partners)
    project.__dict__.pop("_partner_org_ids", None)
    return project


# --- team -------------------------------------------------------------------------------------


def _lock_team(project: Project) -> list[ProjectMember]:
    """Lock the team's rows so two people cannot each remove 'the other' last lead."""
    return list(ProjectMember.objects.select_for_update().filter(project=project))


@transaction.atomic
def member_add(*, actor: Person, project: Project, person: Person, role: str) -> ProjectMember:
    team = _lock_team(project)
    if any(m.person_id == person.pk for m in team):
        raise ProjectError(f"{person} is already on the team.", "person")
    member = ProjectMember(project=project, person=person, role=role)
    save_as(member, actor)
    forget_project_roles(person)
    return member


def _is_last_lead(member: ProjectMember, team: list[ProjectMember]) -> bool:
    leads = [m for m in team if m.role == TeamRole.LEAD]
    return member.role == TeamRole.LEAD and len(leads) == 1 and leads[0].pk == member.pk


LAST_LEAD = "A project needs at least one project lead. Make someone else a lead first."


@transaction.atomic
def member_change_role(*, actor: Person, member: ProjectMember, role: str) -> ProjectMember:
    team = _lock_team(member.project)
    fresh = next((m for m in team if m.pk == member.pk), None)
    if fresh is None:
        raise ProjectError("This person has already left the team.")
    if role != TeamRole.LEAD and _is_last_lead(fresh, team):
        raise ProjectError(LAST_LEAD, "role")
    fresh.role = role
    save_as(fresh, actor)
    forget_project_roles(fresh.person)
    return fresh


@transaction.atomic
def member_remove(*, actor: Person, member: ProjectMember) -> None:
    team = _lock_team(member.project)
    fresh = next((m for m in team if m.pk == member.pk), None)
    if fresh is None:
        return  # already gone: removing twice is harmless
    if _is_last_lead(fresh, team):
        raise ProjectError(LAST_LEAD)
    delete_as(fresh, actor)
    forget_project_roles(fresh.person)


# --- co-production ----------------------------------------------------------------------------


@transaction.atomic
def coproduction_set(
    *,
    actor: Person,
    project: Project,
    stage: str,
    level: str,
    description: str = "",
    partners_involved: str = "",
) -> CoProduction:
    """Record how patients and families took part at one stage (one record per stage)."""
    record = CoProduction.objects.select_for_update().filter(project=project, stage=stage).first()
    if record is None:
        record = CoProduction(project=project, stage=stage)
    changed = apply_fields(
        record, {"level": level, "description": description, "partners_involved": partners_involved}
    )
    if changed or record.pk is None:
        save_as(record, actor)
    return record


@transaction.atomic
def coproduction_clear(*, actor: Person, project: Project, stage: str) -> None:
    for record in CoProduction.objects.filter(project=project, stage=stage):
        delete_as(record, actor)
