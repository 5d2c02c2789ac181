"""My work, the home page after log-in: every persona, what each block shows, query counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from qicollab.core import contributions
from qicollab.core.contributions import Block
from qicollab.measures import services as ms
from qicollab.projects import services as ps
from qicollab.projects.models import Project, TeamRole
from tests import factories as f
from tests.conftest import PERSONAS
from tests.notifications.factories import tell

pytestmark = pytest.mark.django_db


def live_project(world: Any, title: str, *, pdsa_late: bool = True) -> Project:
    """A live trust A project led by staff_a (faculty its coach), with a measure lacking
    last month's value and a PDSA cycle past its planned end."""
    p = world.people
    project = f.project_with_team(world, title=title)
    Project.objects.filter(pk=project.pk).update(status="active")
    project.refresh_from_db()
    ps.member_add(actor=p["staff_a"], project=project, person=p["faculty"], role=TeamRole.COACH)
    measure = ms.measure_create(
        actor=p["staff_a"],
        project=project,
        data={
            "name": f"Falls on {title}",
            "measure_type": "outcome",
            "value_type": "count",
            "frequency": "monthly",
            "direction": "decrease",
            "is_main_outcome": True,
        },
    )
    today = timezone.localdate()
    month = today.replace(day=1)
    for i in range(3, 15):
        period = (month - dt.timedelta(days=31 * i)).replace(day=1)
        ms.datapoint_save(
            actor=p["staff_a"], measure=measure, period=period, value=float(10 + i % 3)
        )
    if pdsa_late:
        idea = ps.node_add(
            actor=p["staff_a"], project=project, kind="idea", text="Bed rails check", links=[]
        )
        ps.pdsa_cycle_create(
            actor=p["staff_a"],
            project=project,
            data={
                "title": f"Bed rails check on {title}",
                "owner": p["staff_a"],
                "planned_start": today - dt.timedelta(days=40),
                "planned_end": today - dt.timedelta(days=10),
            },
            change_ideas=[idea],
        )
    return project


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_gets_my_work(persona: str, world: Any, login: Any) -> None:
    r = login(world.people[persona]).get(reverse("organisations:home"))
    assert r.status_code == 200
    html = r.content.decode()
    assert "<h1>My work</h1>" in html
    assert "New notifications" in html
    assert ("My trust" in html) is (persona in ("pm_a", "pm_o"))


def test_anonymous_gets_the_landing_page(login: Any, world: Any) -> None:
    html = login(None).get(reverse("organisations:home")).content.decode()
    assert "My work" not in html


def test_project_lead_sees_projects_chart_state_and_what_is_due(world: Any, login: Any) -> None:
    live_project(world, "Willow ward")
    html = login(world.people["staff_a"]).get(reverse("organisations:home")).content.decode()
    assert "Willow ward" in html
    assert "Main chart:" in html and "No signal" in html
    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    assert f"Progress report and score for {last_month:%B %Y}" in html
    assert "Data for" in html and "Falls on Willow ward" in html
    assert "Past planned end" in html and "Bed rails check on Willow ward" in html
    assert reverse("projects:progress_create", args=[Project.objects.get().slug, "self"]) in html
    # Not on the team, not told: trust B's staff see none of it.
    other = login(world.people["staff_b"]).get(reverse("organisations:home")).content.decode()
    assert "Willow ward" not in other


def test_coach_and_programme_manager_blocks(world: Any, login: Any) -> None:
    live_project(world, "Willow ward")
    coach = login(world.people["faculty"]).get(reverse("organisations:home")).content.decode()
    assert "Teams I coach" in coach and "Willow ward" in coach
    pm = login(world.people["pm_a"]).get(reverse("organisations:home")).content.decode()
    assert "My trust" in pm and world.trust_a.name in pm
    assert "1 live project" in pm
    assert "Trained in QI" in pm and "Places booked at coming sessions" in pm


def test_new_notifications_block(world: Any, login: Any) -> None:
    tell(world.people["staff_a"], text="A place has come free at LS3")
    html = login(world.people["staff_a"]).get(reverse("organisations:home")).content.decode()
    assert "A place has come free at LS3" in html and "1 unread" in html


def _count_home(login: Any, person: Any) -> int:
    c = login(person)
    c.get(reverse("organisations:home"))  # warm: session, content types
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(reverse("organisations:home")).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona", ["staff_a", "faculty", "pm_a"])
def test_query_count_does_not_grow_with_projects(persona: str, world: Any, login: Any) -> None:
    live_project(world, "Willow ward")
    one = _count_home(login, world.people[persona])
    for title in ("Oak ward", "Ash ward", "Elm ward"):
        live_project(world, title)
    assert _count_home(login, world.people[persona]) == one
    assert one <= 40


def test_a_module_adds_a_block_with_one_call(world: Any, login: Any) -> None:
    def huddle_actions(*, viewer: Any, **_: Any) -> Block:
        return Block(
            key="huddles",
            title="Huddle actions",
            template="mywork/_items.jinja",
            context={"items": [], "none": "No huddle actions."},
            order=22,
        )

    contributions.register_block("organisations.home", huddle_actions)
    try:
        html = login(world.people["staff_a"]).get(reverse("organisations:home")).content.decode()
        assert "Huddle actions" in html and "No huddle actions." in html
    finally:
        contributions._BLOCKS["organisations.home"].remove(huddle_actions)


def test_open_actions_from_huddles_and_culture_debriefs(world: Any, login: Any) -> None:
    """A ward's open huddle actions reach its staff; a debrief's open actions reach the
    wave's team leader and facilitator, and nobody else."""
    from qicollab.culture import services as cs
    from qicollab.huddles import services as hs
    from tests.culture.factories import make_wave
    from tests.huddles.factories import make_ward

    ward = make_ward(world.trust_a, name="Rowan ward")
    today = timezone.localdate()
    hs.huddle_create(
        actor=ward.nurse,
        unit=ward.unit,
        data=hs.HuddleInput(
            held_on=today - dt.timedelta(days=3),
            shift="early",
            new_actions=[
                hs.ActionInput("Fix the bed alarm in bay 2", "Estates", today - dt.timedelta(1))
            ],
        ),
    )
    wave = make_wave(world, leader=world.people["pm_a"], facilitator=world.people["staff_a"])
    wu = wave.wave_units.get()
    debrief = cs.debrief_record(
        actor=world.people["staff_a"],
        wave_unit=wu,
        data=cs.DebriefInput(held_on=today, attendees=6, items_discussed=[], notes=""),
    )
    cs.action_save(
        actor=world.people["staff_a"],
        debrief=debrief,
        data=cs.ActionInput("Protected handover time", "Ward manager", today + dt.timedelta(30)),
    )
    nurse = login(ward.nurse).get(reverse("organisations:home")).content.decode()
    assert "Huddle actions on Rowan ward: 1 open" in nurse and "1 overdue" in nurse
    assert reverse("huddles:action_list", args=[ward.unit.pk]) in nurse
    for who in ("pm_a", "staff_a"):
        page = login(world.people[who]).get(reverse("organisations:home")).content.decode()
        assert "Protected handover time (safety culture debrief, Larch ward)" in page
        assert "Rowan ward" not in page  # not their unit
    other = login(world.people["staff_b"]).get(reverse("organisations:home")).content.decode()
    assert "Protected handover time" not in other and "Rowan ward" not in other
