"""Writes of innovations, their change packages and adoptions (the only writers)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

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
from qicollab.core.text import text_problem
from qicollab.events import storyboard_files as files
from qicollab.events.models import LearningSession, Storyboard
from qicollab.innovations.models import (
    Adoption,
    AdoptionStatus,
    AdoptionStep,
    Innovation,
    PackageIdea,
    PackageMeasure,
    Resource,
    Sharing,
    Stage,
)
from qicollab.innovations.rules import can_change_adoption, creator_org_ids
from qicollab.measures.models import Measure
from qicollab.measures.services import measure_create
from qicollab.notifications.services import notify
from qicollab.organisations.models import Collaborative, Organisation
from qicollab.organisations.services import unique_slug
from qicollab.projects.models import (
    ChangeIdea,
    CoProduction,
    PrimaryDriver,
    Project,
    ProjectMember,
    SecondaryDriver,
    TeamRole,
)
from qicollab.projects.models import Sharing as ProjectSharing
from qicollab.projects.rules import can_change_project_content
from qicollab.projects.services.aims import aim_of, aim_update
from qicollab.projects.services.drivers import node_add
from qicollab.projects.services.projects import project_create


class InnovationError(ServiceError):
    """A refused change to an innovation or an adoption; ``field`` names the form field."""


#: The definition fields a package measure copies from a measure, and gives back to one.
DEFINITION_FIELDS = (
    "name",
    "measure_type",
    "value_type",
    "numerator_definition",
    "denominator_definition",
    "inclusions",
    "exclusions",
    "data_source",
    "frequency",
    "unit",
    "rate_multiplier",
    "chart_type",
    "direction",
    "target",
)
TEXT_FIELDS = (
    "title",
    "problem",
    "change",
    "evidence_summary",
    "cost_effort",
    "helped",
    "hindered",
    "contacts",
    "lived_experience",
)


@dataclass
class InnovationInput:
    """What a person writes about an innovation (the package is copied, not typed)."""

    title: str
    problem: str = ""
    change: str = ""
    evidence_summary: str = ""
    cost_effort: str = ""
    helped: str = ""
    hindered: str = ""
    contacts: str = ""
    lived_experience: str = ""
    stage: str = Stage.TESTING
    sharing: str = Sharing.COLLABORATIVE
    workstream: Workstream | None = None
    themes: Sequence[Theme] = field(default_factory=tuple)


# --- pre-filling from a project --------------------------------------------------------


def _aim_sentence(project: Project) -> str:
    aim = aim_of(project)
    if aim.statement:
        return aim.statement
    parts = [aim.direction and aim.get_direction_display(), aim.measure_text]
    if aim.population:
        parts.append(f"for {aim.population}")
    if aim.setting:
        parts.append(f"in {aim.setting}")
    return " ".join(p for p in parts if p)


def prefill_from_project(
    project: Project, *, storyboard: Storyboard | None = None
) -> InnovationInput:
    """A draft written from the project's aim, co-production and storyboard summary.

    The team reads and edits it before saving; the change ideas and measures are copied
    when the innovation is created.
    """
    board = storyboard
    if board is None:
        board = Storyboard.objects.filter(project=project).order_by("-created_at").first()
    lived = "\n".join(
        f"{c.get_stage_display()}: {c.get_level_display()}."
        + (f" {c.description}" if c.description else "")
        for c in CoProduction.objects.filter(project=project)
    )
    aim = _aim_sentence(project)
    return InnovationInput(
        title=project.title,
        problem=project.summary,
        change=(board.summary if board is not None and board.summary else ""),
        evidence_summary=f"The project's aim: {aim}" if aim else "",
        lived_experience=lived,
        workstream=project.workstream,
        themes=list(project.themes.all()),
    )


# --- innovations -----------------------------------------------------------------------


def _check(data: InnovationInput, collaborative: Collaborative, project: Project | None) -> None:
    errors: dict[str | None, list[str]] = {}
    title = " ".join(data.title.split())
    if not title:
        errors["title"] = ["Enter a title for the innovation."]
    for name in TEXT_FIELDS:
        problem = text_problem(getattr(data, name), what="This text")
        if problem:
            errors.setdefault(name, []).append(problem)
    if data.stage not in Stage.values:
        errors["stage"] = ["Choose a stage: being tested, implemented locally or spreading."]
    if data.sharing not in Sharing.values:
        errors["sharing"] = ["Choose who can see the innovation."]
    elif data.sharing == Sharing.PUBLIC and (
        project is None or project.sharing != ProjectSharing.PUBLIC
    ):
        errors["sharing"] = [
            "Only an innovation from a public project can be public, because the showcase "
            "shows the project's charts. Make the project public first, or choose another "
            "sharing level."
        ]
    if data.workstream is not None and data.workstream.collaborative_id != collaborative.pk:
        errors["workstream"] = ["Choose a workstream of the innovation's collaborative."]
    if any(t.collaborative_id != collaborative.pk for t in data.themes):
        errors["themes"] = ["Choose themes of the innovation's collaborative."]
    if errors:
        raise InnovationError(errors=errors)


def _write_text(innovation: Innovation, data: InnovationInput) -> list[str]:
    values: dict[str, Any] = {name: getattr(data, name) for name in TEXT_FIELDS}
    values["title"] = " ".join(data.title.split())
    values["stage"] = data.stage
    values["sharing"] = data.sharing
    values["workstream"] = data.workstream
    return apply_fields(innovation, values)


def definition_of(measure: Measure | PackageMeasure) -> dict[str, Any]:
    """The operational definition of a measure, as the fields both models share."""
    return {name: getattr(measure, name) for name in DEFINITION_FIELDS}


def _copy_package(actor: Person, innovation: Innovation, project: Project) -> None:
    primaries: dict[int, str] = {}
    for p in PrimaryDriver.objects.filter(project=project):
        primaries[p.pk] = p.text
    secondaries: dict[int, tuple[str, str]] = {}
    for s in SecondaryDriver.objects.filter(project=project).prefetch_related("primaries"):
        first = next(iter(s.primaries.all()), None)
        secondaries[s.pk] = (s.text, primaries.get(first.pk, "") if first else "")
    ideas = ChangeIdea.objects.filter(project=project).prefetch_related("secondaries")
    for order, idea in enumerate(ideas, start=1):
        first_s = next(iter(idea.secondaries.all()), None)
        secondary, primary = secondaries.get(first_s.pk, ("", "")) if first_s else ("", "")
        save_as(
            PackageIdea(
                innovation=innovation,
                text=idea.text,
                description=idea.description,
                primary_driver=primary,
                secondary_driver=secondary,
                order=order,
            ),
            actor,
        )
    measures = list(Measure.objects.filter(project=project))
    for order, m in enumerate(measures, start=1):
        save_as(
            PackageMeasure(
                innovation=innovation, source_measure=m, order=order, **definition_of(m)
            ),
            actor,
        )
    attribute(innovation, actor)
    innovation.evidence_measures.set(measures)


@transaction.atomic
def innovation_create(
    *,
    actor: Person,
    project: Project,
    data: InnovationInput,
    storyboard: Storyboard | None = None,
) -> Innovation:
    """Write up a project's change as an innovation in one step.

    The change ideas (with the driver each answered), the measure definitions and the
    evidence measures are copied from the project; ``storyboard`` marks it as harvested at
    that storyboard's learning session.
    """
    if not can_change_project_content(actor, project):
        raise InnovationError(
            f"You cannot edit the project “{project.title}”, so you cannot write it up as an "
            "innovation. Ask someone on its team."
        )
    _check(data, project.collaborative, project)
    innovation = Innovation(
        collaborative=project.collaborative,
        organisation=project.lead_organisation,
        project=project,
        created_by=actor,
    )
    _write_text(innovation, data)
    if storyboard is not None:
        innovation.storyboard = storyboard
        innovation.harvested_at = storyboard.session
    innovation.slug = unique_slug(Innovation, innovation.title)
    save_as(innovation, actor)
    attribute(innovation, actor)
    innovation.themes.set(data.themes)
    _copy_package(actor, innovation, project)
    return innovation


@transaction.atomic
def innovation_harvest(
    *, actor: Person, storyboard: Storyboard, data: InnovationInput
) -> Innovation:
    """The innovation harvest: an innovation from a storyboard presented at a session.

    A project storyboard gives the project's package; an uploaded storyboard gives an
    innovation of the presenting organisation without a package, which its team fills in.
    """
    if storyboard.project is not None:
        return innovation_create(
            actor=actor, project=storyboard.project, data=data, storyboard=storyboard
        )
    session: LearningSession = storyboard.session
    if storyboard.organisation_id not in creator_org_ids(actor) and not actor.has_perm(
        "events.manage_session", session
    ):
        raise InnovationError(
            f"Only {storyboard.organisation}'s staff or the session's organisers can harvest "
            "this storyboard as an innovation."
        )
    _check(data, session.collaborative, None)
    innovation = Innovation(
        collaborative=session.collaborative,
        organisation=storyboard.organisation,
        storyboard=storyboard,
        harvested_at=session,
        created_by=actor,
    )
    _write_text(innovation, data)
    innovation.slug = unique_slug(Innovation, innovation.title)
    save_as(innovation, actor)
    attribute(innovation, actor)
    innovation.themes.set(data.themes)
    return innovation


@transaction.atomic
def innovation_update(
    *, actor: Person, innovation: Innovation, data: InnovationInput, loaded_version: str = ""
) -> Innovation:
    """Change what the innovation says; raises ``EditConflict`` on a concurrent edit."""
    check_version(innovation, loaded_version)
    _check(data, innovation.collaborative, innovation.project)
    if _write_text(innovation, data):
        save_as(innovation, actor)
    attribute(innovation, actor)
    innovation.themes.set(data.themes)
    return innovation


@transaction.atomic
def resource_add(*, actor: Person, innovation: Innovation, title: str, upload: Any) -> Resource:
    """Add a file to the change package, checked by its content like a storyboard."""
    title = " ".join(title.split())
    if not title:
        raise InnovationError(
            "Enter a title for the file, for example 'Huddle checklist'.", "title"
        )
    try:
        checked = files.check_upload(upload)
    except ValidationError as exc:
        raise InnovationError(" ".join(exc.messages), "file") from exc
    name = files.store(checked.data)
    resource = Resource(
        innovation=innovation,
        title=title,
        file_name=name,
        content_type=checked.content_type,
        file_size=len(checked.data),
        original_name=checked.original_name,
    )
    save_as(resource, actor)
    return resource


@transaction.atomic
def resource_delete(*, actor: Person, resource: Resource) -> None:
    name = resource.file_name
    delete_as(resource, actor)
    transaction.on_commit(lambda: files.delete_files(name))


# --- adoptions -------------------------------------------------------------------------


@dataclass
class StatusInput:
    status: str
    on: dt.date
    what_changed: str = ""
    why_abandoned: str = ""
    note: str = ""


def _check_status(data: StatusInput) -> None:
    errors: dict[str | None, list[str]] = {}
    if data.status not in AdoptionStatus.values:
        errors["status"] = ["Choose considering, testing, adapted, adopted or abandoned."]
    if data.status == AdoptionStatus.ADAPTED and not data.what_changed.strip():
        errors["what_changed"] = ["Say what you changed, so others can learn from it."]
    if data.status == AdoptionStatus.ABANDONED and not data.why_abandoned.strip():
        errors["why_abandoned"] = ["Say why you stopped, so others can learn from it."]
    if data.on > timezone.localdate():
        errors["on"] = ["The date must be today or in the past."]
    for name in ("what_changed", "why_abandoned", "note"):
        problem = text_problem(getattr(data, name))
        if problem:
            errors.setdefault(name, []).append(problem)
    if errors:
        raise InnovationError(errors=errors)


def _check_project(actor: Person, project: Project, organisation: Organisation) -> None:
    if not can_change_project_content(actor, project):
        raise InnovationError(
            f"You cannot edit the project “{project.title}”, so you cannot link this adoption "
            "to it. Ask its project lead to add you to the team, or start a new project.",
            "project",
        )
    if organisation.pk not in project.organisation_ids:
        raise InnovationError(
            f"“{project.title}” is not a project of {organisation}: choose one of its projects.",
            "project",
        )


def _notify_source(adoption: Adoption, actor: Person) -> None:
    """Tell the source team (its project leads and the innovation's author) in the platform,
    emailed as each person chose (daily digest by default); the innovation page also lists
    everyone trying it."""
    innovation = adoption.innovation
    people: dict[int, Person] = {}
    if innovation.project_id is not None:
        for member in ProjectMember.objects.filter(
            project_id=innovation.project_id, role=TeamRole.LEAD
        ).select_related("person"):
            people[member.person_id] = member.person
    if innovation.created_by is not None:
        people[innovation.created_by.pk] = innovation.created_by
    notify(
        recipients=people.values(),
        kind="innovations.adopted",
        actor=actor,
        target=innovation,
        text=(
            f"{adoption.organisation} is {adoption.get_status_display().lower()} your "
            f"innovation “{innovation.title}”"
        ),
        url=reverse("innovations:spread", args=[innovation.slug]),
    )


def _step(actor: Person, adoption: Adoption, data: StatusInput) -> None:
    AdoptionStep.objects.create(
        adoption=adoption, status=data.status, on=data.on, note=data.note, recorded_by=actor
    )


@transaction.atomic
def adoption_create(
    *,
    actor: Person,
    innovation: Innovation,
    organisation: Organisation,
    data: StatusInput,
    project: Project | None = None,
) -> Adoption:
    """Record that ``organisation``'s team is trying the innovation, and tell its source."""
    if organisation.pk not in creator_org_ids(actor):
        raise InnovationError(
            f"You cannot record adoptions for {organisation}: only its staff, programme "
            "managers and lived-experience partners can.",
            "organisation",
        )
    if organisation.pk == innovation.organisation_id:
        raise InnovationError(
            f"“{innovation.title}” comes from {organisation}: record its spread in your "
            "own project instead of adopting it.",
            "organisation",
        )
    existing = (
        Adoption.objects.select_for_update()
        .filter(innovation=innovation, organisation=organisation)
        .first()
    )
    if existing is not None:
        raise InnovationError(
            f"{organisation} already records “{innovation.title}” as "
            f"{existing.get_status_display().lower()} (since "
            f"{existing.status_date:%-d %B %Y}). Change its status instead of adopting it "
            "again.",
            "organisation",
        )
    _check_status(data)
    if project is not None:
        _check_project(actor, project, organisation)
    adoption = Adoption(
        innovation=innovation,
        organisation=organisation,
        project=project,
        status=data.status,
        status_date=data.on,
        what_changed=data.what_changed,
        why_abandoned=data.why_abandoned,
        note=data.note,
        created_by=actor,
    )
    save_as(adoption, actor)
    _step(actor, adoption, data)
    _notify_source(adoption, actor)
    return adoption


@transaction.atomic
def adoption_set_status(*, actor: Person, adoption: Adoption, data: StatusInput) -> Adoption:
    """Move an adoption on (or back): every change is a dated step of the timeline."""
    if not can_change_adoption(actor, adoption):
        raise InnovationError(f"You cannot change {adoption.organisation}'s adoption.")
    _check_status(data)
    if data.on < adoption.status_date:
        raise InnovationError(
            f"The date must be on or after {adoption.status_date:%-d %B %Y}, the date of the "
            "current status.",
            "on",
        )
    apply_fields(
        adoption,
        {
            "status": data.status,
            "status_date": data.on,
            "what_changed": data.what_changed or adoption.what_changed,
            "why_abandoned": data.why_abandoned
            if data.status == AdoptionStatus.ABANDONED
            else adoption.why_abandoned,
            "note": data.note or adoption.note,
        },
    )
    save_as(adoption, actor)
    _step(actor, adoption, data)
    return adoption


@transaction.atomic
def adoption_link_project(*, actor: Person, adoption: Adoption, project: Project) -> Adoption:
    """Link the adoption to an existing project of the adopting organisation."""
    _check_project(actor, project, adoption.organisation)
    adoption.project = project
    save_as(adoption, actor)
    return adoption


def _collaborative_for(innovation: Innovation, organisation: Organisation) -> Collaborative:
    """The innovation's own collaborative if the adopter is a member, else the adopter's."""
    from qicollab.organisations.models import CollaborativeMembership

    ids = set(
        CollaborativeMembership.objects.filter(organisation=organisation).values_list(
            "collaborative_id", flat=True
        )
    )
    if innovation.collaborative_id in ids or not ids:
        return innovation.collaborative
    return (
        Collaborative.objects.filter(pk__in=ids).order_by("name").first()
        or innovation.collaborative
    )


@transaction.atomic
def adoption_start_project(
    *, actor: Person, adoption: Adoption, aim_statement: str = "", title: str = ""
) -> Project:
    """Start a project at the adopting organisation from the change package.

    The package's change ideas are placed in a driver diagram (its primary and secondary
    drivers) under the adopter's own aim; the measures are created from the same
    definitions so the charts are comparable; the project links back to the innovation.
    """
    if adoption.project_id is not None:
        raise InnovationError(
            f"This adoption already has a project: “{adoption.project}”.", "project"
        )
    if not can_change_adoption(actor, adoption):
        raise InnovationError(f"You cannot start a project for {adoption.organisation}.")
    problem = text_problem(aim_statement, what="The aim")
    if problem:
        raise InnovationError(problem, "aim_statement")
    innovation = adoption.innovation
    collaborative = _collaborative_for(innovation, adoption.organisation)
    link = reverse("innovations:innovation_detail", args=[innovation.slug])
    project = project_create(
        actor=actor,
        collaborative=collaborative,
        lead_organisation=adoption.organisation,
        title=title.strip() or f"{innovation.title} at {adoption.organisation}",
        summary=(
            f"Started from the innovation “{innovation.title}” shared by "
            f"{innovation.organisation} ({link}).\n\n{innovation.problem}"
        ).strip(),
        workstream=innovation.workstream
        if innovation.workstream and innovation.workstream.collaborative_id == collaborative.pk
        else None,
    )
    aim_update(actor=actor, project=project, data={"statement": aim_statement.strip()})
    primaries: dict[str, Any] = {}
    secondaries: dict[tuple[str, str], Any] = {}
    for idea in innovation.ideas.all():
        links: list[Any] = []
        if idea.primary_driver or idea.secondary_driver:
            p_text = idea.primary_driver or innovation.title
            if p_text not in primaries:
                primaries[p_text] = node_add(
                    actor=actor, project=project, kind="primary", text=p_text
                )
            s_text = idea.secondary_driver or idea.primary_driver or innovation.title
            key = (p_text, s_text)
            if key not in secondaries:
                secondaries[key] = node_add(
                    actor=actor,
                    project=project,
                    kind="secondary",
                    text=s_text,
                    links=[primaries[p_text]],
                )
            links = [secondaries[key]]
        node_add(
            actor=actor,
            project=project,
            kind="idea",
            text=idea.text,
            links=links,
            description=idea.description,
        )
    for pm in innovation.measures.all():
        measure_create(actor=actor, project=project, data=definition_of(pm))
    adoption.project = project
    save_as(adoption, actor)
    return project
