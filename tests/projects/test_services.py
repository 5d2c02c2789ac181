"""Business rules in the services: team, project set-up, tags, drivers, PDSA numbering."""

from __future__ import annotations

from typing import Any

import pytest

from qicollab.projects import services
from qicollab.projects.models import ChangeIdea, PrimaryDriver, Project, ProjectMember, TeamRole
from qicollab.projects.rules import project_role
from qicollab.projects.services import ProjectError, parse_tags
from tests import factories as f

# --- team -------------------------------------------------------------------------------------


def test_creator_is_the_first_lead_and_gets_an_empty_aim(project: Project, world: Any) -> None:
    lead = ProjectMember.objects.get(project=project, role=TeamRole.LEAD)
    assert lead.person == world.people["staff_a"]
    assert project.aim.pk is not None
    assert project_role(world.people["staff_a"], project) == TeamRole.LEAD


def test_cannot_remove_the_last_lead(project: Project, world: Any) -> None:
    lead = ProjectMember.objects.get(project=project, role=TeamRole.LEAD)
    with pytest.raises(ProjectError, match="at least one project lead"):
        services.member_remove(actor=world.people["pm_a"], member=lead)
    assert ProjectMember.objects.filter(pk=lead.pk).exists()


def test_cannot_demote_the_last_lead(project: Project, world: Any) -> None:
    lead = ProjectMember.objects.get(project=project, role=TeamRole.LEAD)
    with pytest.raises(ProjectError, match="at least one project lead"):
        services.member_change_role(actor=world.people["pm_a"], member=lead, role=TeamRole.MEMBER)
    lead.refresh_from_db()
    assert lead.role == TeamRole.LEAD


def test_a_second_lead_lets_the_first_step_down(project: Project, world: Any) -> None:
    partner = ProjectMember.objects.get(project=project, person=world.people["partner_a"])
    services.member_change_role(actor=world.people["staff_a"], member=partner, role=TeamRole.LEAD)
    first = ProjectMember.objects.get(project=project, person=world.people["staff_a"])
    services.member_remove(actor=world.people["staff_a"], member=first)
    assert list(project.members.values_list("role", flat=True)) == [TeamRole.LEAD]


def test_adding_someone_twice_is_refused(project: Project, world: Any) -> None:
    with pytest.raises(ProjectError, match="already on the team"):
        services.member_add(
            actor=world.people["staff_a"],
            project=project,
            person=world.people["partner_a"],
            role="member",
        )


def test_removing_twice_is_harmless(project: Project, world: Any) -> None:
    member = ProjectMember.objects.get(project=project, person=world.people["partner_a"])
    services.member_remove(actor=world.people["staff_a"], member=member)
    services.member_remove(actor=world.people["staff_a"], member=member)
    assert not ProjectMember.objects.filter(pk=member.pk).exists()


def test_team_page_flow_shows_last_lead_message(project: Project, world: Any, login: Any) -> None:
    c = login(world.people["pm_a"])
    lead = ProjectMember.objects.get(project=project, role=TeamRole.LEAD)
    response = c.post(f"/projects/{project.slug}/team/{lead.pk}/remove/")
    assert response.status_code == 200
    assert b"A project needs at least one project lead" in response.content
    added = c.post(
        f"/projects/{project.slug}/team/",
        {"person": world.people["viewer_a"].pk, "role": "sponsor"},
    )
    assert added.status_code == 302
    assert (
        ProjectMember.objects.get(project=project, person=world.people["viewer_a"]).role
        == "sponsor"
    )


def test_people_from_elsewhere_cannot_be_added_through_the_page(
    project: Project, world: Any, login: Any
) -> None:
    c = login(world.people["staff_a"])
    response = c.post(
        f"/projects/{project.slug}/team/", {"person": world.people["pm_o"].pk, "role": "member"}
    )
    assert response.status_code == 200
    assert b"Choose someone from the list" in response.content
    assert not ProjectMember.objects.filter(project=project, person=world.people["pm_o"]).exists()


# --- project set-up ---------------------------------------------------------------------------


def test_lead_organisation_must_be_one_the_person_works_for(world: Any) -> None:
    with pytest.raises(ProjectError) as exc:
        services.project_create(
            actor=world.people["staff_a"],
            collaborative=world.collab,
            lead_organisation=world.trust_b,
            title="Not mine",
        )
    assert exc.value.field == "lead_organisation"


def test_faculty_can_start_a_project_for_any_member(world: Any) -> None:
    project = services.project_create(
        actor=world.people["faculty"],
        collaborative=world.collab,
        lead_organisation=world.trust_b,
        title="Coached start",
    )
    assert project.lead_organisation == world.trust_b


def test_workstream_and_themes_must_belong_to_the_collaborative(world: Any) -> None:
    elsewhere = f.WorkstreamFactory(collaborative=world.other_collab)
    with pytest.raises(ProjectError) as exc:
        services.project_create(
            actor=world.people["staff_a"],
            collaborative=world.collab,
            lead_organisation=world.trust_a,
            title="X",
            workstream=elsewhere,
        )
    assert exc.value.field == "workstream"
    theme = f.ThemeFactory(collaborative=world.other_collab)
    with pytest.raises(ProjectError) as exc:
        services.project_create(
            actor=world.people["staff_a"],
            collaborative=world.collab,
            lead_organisation=world.trust_a,
            title="X",
            themes=[theme],
        )
    assert exc.value.field == "themes"
    assert not Project.objects.filter(title="X").exists()  # nothing half-made


def test_slug_new_is_never_used(world: Any) -> None:
    project = services.project_create(
        actor=world.people["staff_a"],
        collaborative=world.collab,
        lead_organisation=world.trust_a,
        title="New",
    )
    assert project.slug != "new"


def test_tags_are_normalised_per_collaborative(project: Project, world: Any) -> None:
    assert parse_tags("Falls, falls ,  night   shifts,,") == ["Falls", "night shifts"]
    services.project_update(
        actor=world.people["staff_a"], project=project, data={"tags": "Falls, night shifts"}
    )
    other = services.project_create(
        actor=world.people["staff_a"],
        collaborative=world.collab,
        lead_organisation=world.trust_a,
        title="Other",
        tags="FALLS",
    )
    assert {t.pk for t in other.tags.all()} <= {t.pk for t in project.tags.all()}
    with pytest.raises(ProjectError):
        parse_tags("x" * 51)
    with pytest.raises(ProjectError):
        parse_tags("!!!")


# --- drivers ----------------------------------------------------------------------------------


def test_links_to_another_projects_drivers_are_refused(make_project: Any, world: Any) -> None:
    a = make_project(title="A")
    b = make_project(title="B")
    foreign = services.node_add(
        actor=world.people["staff_a"], project=b, kind="primary", text="B's driver"
    )
    with pytest.raises(ProjectError):
        services.node_add(
            actor=world.people["staff_a"], project=a, kind="secondary", text="S", links=[foreign.pk]
        )


def test_move_up_and_down(project: Project, world: Any) -> None:
    actor = world.people["staff_a"]
    one, _two, three = (
        services.node_add(actor=actor, project=project, kind="primary", text=t) for t in "123"
    )
    services.node_move(actor=actor, node=three, direction="up")
    assert list(
        PrimaryDriver.objects.filter(project=project)
        .order_by("order")
        .values_list("text", flat=True)
    ) == ["1", "3", "2"]
    services.node_move(actor=actor, node=one, direction="up")  # already first: nothing happens
    services.node_move(actor=actor, node=one, direction="down")
    assert list(
        PrimaryDriver.objects.filter(project=project)
        .order_by("order")
        .values_list("text", flat=True)
    ) == ["3", "1", "2"]


def test_tested_change_ideas_cannot_be_deleted(full_project: Project, world: Any) -> None:
    tested = ChangeIdea.objects.filter(project=full_project, pdsa_cycles__isnull=False).first()
    with pytest.raises(ProjectError, match="cannot be deleted"):
        services.node_delete(actor=world.people["staff_a"], node=tested)
    untested = ChangeIdea.objects.get(project=full_project, text="Sensory room")
    services.node_delete(actor=world.people["staff_a"], node=untested)
    assert not ChangeIdea.objects.filter(pk=untested.pk).exists()


def test_blank_node_text_is_refused(project: Project, world: Any) -> None:
    with pytest.raises(ProjectError, match="Enter the primary driver"):
        services.node_add(
            actor=world.people["staff_a"], project=project, kind="primary", text="   "
        )


# --- PDSA -------------------------------------------------------------------------------------


def test_cycles_are_numbered_along_the_ramp(full_project: Project, world: Any) -> None:
    idea = ChangeIdea.objects.get(project=full_project, text__startswith="Safety huddle")
    cycle = services.pdsa_cycle_create(
        actor=world.people["staff_a"],
        project=full_project,
        change_ideas=[idea],
        data={"title": "Whole ward"},
    )
    assert cycle.cycle_number == 3
    fresh = ChangeIdea.objects.get(project=full_project, text="Sensory room")
    first = services.pdsa_cycle_create(
        actor=world.people["staff_a"],
        project=full_project,
        change_ideas=[fresh],
        data={"title": "Try it"},
    )
    assert first.cycle_number == 1


def test_a_cycle_must_test_this_projects_ideas(make_project: Any, world: Any) -> None:
    a, b = make_project(title="A"), make_project(title="B")
    idea_b = services.node_add(actor=world.people["staff_a"], project=b, kind="idea", text="B idea")
    with pytest.raises(ProjectError):
        services.pdsa_cycle_create(
            actor=world.people["staff_a"], project=a, change_ideas=[idea_b], data={"title": "x"}
        )
    with pytest.raises(ProjectError, match="at least one change idea"):
        services.pdsa_cycle_create(
            actor=world.people["staff_a"], project=a, change_ideas=[], data={"title": "x"}
        )
