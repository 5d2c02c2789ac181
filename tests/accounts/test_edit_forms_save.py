"""Every edit form's save reaches the database (issue 11: profile edits were discarded).

A ModelForm's validation writes the new values onto its instance. A service that then
compared the same object against the submitted data saw "no change" and saved nothing,
while the page said "Your details have been saved". Each case below opens an edit page,
submits the form exactly as rendered with one field changed, and re-reads the row from
the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import models
from django.urls import reverse
from django.utils import timezone

from qicollab.accounts.models import Person
from qicollab.deaths.models import MortalityTeamMember
from qicollab.events.models import ActionPeriod, AgendaItem, LearningSession
from qicollab.projects import services as project_services
from tests import factories as f
from tests.accounts.formscrape import form_data


@dataclass
class Case:
    actor: Any
    url: str
    obj: models.Model
    field: str
    value: str


def _profile(world: Any) -> Case:
    person = world.people["staff_a"]
    return Case(person, reverse("accounts:profile"), person, "full_name", "Staff A Renamed")


def _organisation(world: Any) -> Case:
    org = world.trust_a
    return Case(
        world.people["pm_a"],
        reverse("organisations:organisation_edit", args=[org.slug]),
        org,
        "name",
        "Avon Renamed NHS Trust",
    )


def _collaborative(world: Any) -> Case:
    collab = world.collab
    return Case(
        world.people["collab_lead"],
        reverse("organisations:collaborative_edit", args=[collab.slug]),
        collab,
        "name",
        "Renamed Collaborative",
    )


def _session(world: Any) -> LearningSession:
    start = timezone.localdate() + dt.timedelta(days=30)
    return LearningSession.objects.create(
        collaborative=world.collab,
        title="Learning session 1",
        slug="ls-1",
        starts_on=start,
        ends_on=start + dt.timedelta(days=1),
        venue="Ashton Court, Bristol",
    )


def _learning_session(world: Any) -> Case:
    s = _session(world)
    return Case(
        world.people["collab_lead"],
        reverse("events:session_edit", args=[s.pk]),
        s,
        "title",
        "Learning session renamed",
    )


def _agenda_item(world: Any) -> Case:
    item = AgendaItem.objects.create(
        session=_session(world),
        kind="plenary",
        title="Welcome",
        starts_at=dt.time(9, 30),
        ends_at=dt.time(10, 0),
    )
    return Case(
        world.people["collab_lead"],
        reverse("events:agenda_item_edit", args=[item.pk]),
        item,
        "title",
        "Welcome and introductions",
    )


def _action_period(world: Any) -> Case:
    today = timezone.localdate()
    period = ActionPeriod.objects.create(
        collaborative=world.collab,
        title="Action period 1",
        starts_on=today,
        ends_on=today + dt.timedelta(days=60),
    )
    return Case(
        world.people["collab_lead"],
        reverse("events:action_period_edit", args=[period.pk]),
        period,
        "title",
        "Action period one",
    )


def _project(world: Any) -> Any:
    return project_services.project_create(
        actor=world.people["staff_a"],
        collaborative=world.collab,
        lead_organisation=world.trust_a,
        title="Safer observations on Willow ward",
        sharing="private",
    )


def _project_details(world: Any) -> Case:
    project = _project(world)
    return Case(
        world.people["staff_a"],
        reverse("projects:project_edit", args=[project.slug]),
        project,
        "title",
        "Safer observations on every ward",
    )


def _aim(world: Any) -> Case:
    project = _project(world)
    aim = project_services.aim_update(
        actor=world.people["staff_a"],
        project=project,
        data={"measure_text": "restrictive practice incidents", "setting": "Willow ward"},
    )
    return Case(
        world.people["staff_a"],
        reverse("projects:aim_edit", args=[project.slug]),
        aim,
        "setting",
        "Willow and Oak wards",
    )


def _measure(world: Any) -> Case:
    from qicollab.measures import services as ms

    project = _project(world)
    measure = ms.measure_create(
        actor=world.people["staff_a"],
        project=project,
        data={
            "name": "Restrictive practice incidents",
            "measure_type": "outcome",
            "value_type": "count",
            "frequency": "monthly",
            "direction": "decrease",
        },
    )
    return Case(
        world.people["staff_a"],
        reverse("measures:measure_edit", args=[project.slug, measure.pk]),
        measure,
        "name",
        "Incidents of restrictive practice",
    )


def _course(world: Any) -> Case:
    course = f.CourseFactory(collaborative=world.collab)
    return Case(
        world.people["faculty"],
        reverse("capability:course_edit", args=[course.slug]),
        course,
        "title",
        "Improvement basics",
    )


def _death(world: Any) -> Case:
    from qicollab.deaths import services as ds

    MortalityTeamMember.objects.create(
        organisation=world.trust_a, person=world.people["staff_a"], role="lead"
    )
    death = ds.case_create(
        actor=world.people["staff_a"],
        organisation=world.trust_a,
        data={
            "case_reference": "LfD-A-001",
            "date_of_death": dt.date(2025, 5, 10),
            "age_band": "45-54",
            "setting": "community",
            "service": "Community mental health team North",
            "category": "unexpected_natural",
            "notified_by": "ward",
        },
    )
    return Case(
        world.people["staff_a"],
        reverse("deaths:case_edit", args=[world.trust_a.slug, death.pk]),
        death,
        "service",
        "Crisis team South",
    )


CASES: dict[str, Callable[[Any], Case]] = {
    "profile": _profile,
    "organisation": _organisation,
    "collaborative": _collaborative,
    "learning_session": _learning_session,
    "agenda_item": _agenda_item,
    "action_period": _action_period,
    "project": _project_details,
    "aim": _aim,
    "measure": _measure,
    "course": _course,
    "death": _death,
}


@pytest.mark.parametrize("name", CASES)
def test_edit_form_save_reaches_the_database(world: Any, login: Any, name: str) -> None:
    case = CASES[name](world)
    client = login(case.actor)
    page = client.get(case.url)
    assert page.status_code == 200, page.content[:500]
    data = form_data(page.content.decode(), field=case.field)
    assert case.field in data, sorted(data)
    assert data[case.field] != case.value
    data[case.field] = case.value

    response = client.post(case.url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    fresh = type(case.obj)._default_manager.get(pk=case.obj.pk)
    assert getattr(fresh, case.field) == case.value


def test_profile_says_saved_only_when_it_saved(world: Any, login: Any) -> None:
    person = world.people["staff_a"]
    client = login(person)
    data = form_data(client.get(reverse("accounts:profile")).content.decode(), field="job_title")
    data["job_title"] = "Ward manager"
    response = client.post(reverse("accounts:profile"), data, follow=True)
    assert response.redirect_chain, response.content.decode()
    assert "Your details have been saved" in response.content.decode()
    assert Person.objects.get(pk=person.pk).job_title == "Ward manager"
