"""Innovation and adoption services: the package is copied, the rules refuse with reasons."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from qicollab.innovations import services
from qicollab.innovations.models import Adoption, AdoptionStep, PackageIdea, PackageMeasure
from qicollab.measures.models import Measure
from qicollab.notifications.models import Notification
from qicollab.projects.models import ChangeIdea, PrimaryDriver, SecondaryDriver
from qicollab.projects.services.projects import project_create
from tests import factories as f
from tests.innovations import factories as fi


def test_create_from_project_copies_the_package_in_one_step(world: Any) -> None:
    project = fi.source_project(world)
    draft = services.prefill_from_project(project)
    assert draft.title == project.title
    assert "Halve restrictive practice" in draft.evidence_summary
    inn = services.innovation_create(actor=world.people["staff_a"], project=project, data=draft)
    idea = PackageIdea.objects.get(innovation=inn)
    assert (idea.text, idea.primary_driver, idea.secondary_driver) == (
        "Twice-daily safety huddle",
        "Early recognition",
        "Shared risk picture",
    )
    names = set(PackageMeasure.objects.filter(innovation=inn).values_list("name", flat=True))
    assert names == {"Restrictive practice incidents", "Huddles held"}
    assert set(inn.evidence_measures.all()) == set(Measure.objects.filter(project=project))
    assert inn.organisation == world.trust_a and inn.collaborative == world.collab


def test_only_the_team_may_write_up_a_project(world: Any) -> None:
    project = fi.source_project(world)
    with pytest.raises(services.InnovationError, match="cannot edit the project"):
        services.innovation_create(
            actor=world.people["staff_b"],
            project=project,
            data=services.InnovationInput(title="Mine"),
        )


def test_public_innovation_needs_a_public_project(world: Any) -> None:
    project = fi.source_project(world)
    with pytest.raises(services.InnovationError) as exc:
        fi.innovation(world, project=project, sharing="public")
    assert "Make the project public first" in exc.value.errors["sharing"][0]


def test_adoption_tells_the_source_team(world: Any) -> None:
    inn = fi.innovation(world)
    mail.outbox.clear()
    a = fi.adopt(world, inn)
    told = Notification.objects.get(kind="innovations.adopted")
    assert told.recipient.email == "staff_a@example.nhs.uk"
    assert "Brook Test Partnership" in told.text and told.url.endswith("/spread/")
    # Emailed in the daily digest by default (docs/notifications.md), not straight away.
    assert told.email == "daily" and mail.outbox == []
    assert AdoptionStep.objects.get(adoption=a).status == "testing"


def test_adopting_twice_is_refused_with_the_current_status(world: Any) -> None:
    inn = fi.innovation(world)
    fi.adopt(world, inn)
    with pytest.raises(
        services.InnovationError, match=r"already records .* as testing .*2 March 2026"
    ):
        fi.adopt(world, inn, status="considering")
    assert Adoption.objects.count() == 1


def test_adopting_your_own_organisations_innovation_is_refused(world: Any) -> None:
    inn = fi.innovation(world)
    with pytest.raises(services.InnovationError, match="comes from Avon"):
        fi.adopt(world, inn, who="pm_a", organisation=world.trust_a)


def test_viewers_and_other_organisations_cannot_adopt_for_an_organisation(world: Any) -> None:
    inn = fi.innovation(world)
    with pytest.raises(services.InnovationError, match="only its staff"):
        fi.adopt(world, inn, who="staff_a", organisation=world.trust_b)


def test_adopting_into_a_project_the_person_cannot_edit_is_refused(world: Any) -> None:
    inn = fi.innovation(world)
    someone = f.PersonFactory(email="lead_b@example.nhs.uk")
    f.AffiliationFactory(person=someone, organisation=world.trust_b, role="staff")
    theirs = project_create(
        actor=someone, collaborative=world.collab, lead_organisation=world.trust_b, title="Elm ward"
    )
    with pytest.raises(services.InnovationError, match="You cannot edit the project “Elm ward”"):
        services.adoption_create(
            actor=world.people["staff_b"],
            innovation=inn,
            organisation=world.trust_b,
            data=services.StatusInput(status="testing", on=dt.date(2026, 3, 2)),
            project=theirs,
        )
    assert not Adoption.objects.exists()


@pytest.mark.parametrize(
    ("status", "field", "message"),
    [
        ("abandoned", "why_abandoned", "Say why you stopped"),
        ("adapted", "what_changed", "Say what you changed"),
        ("maybe", "status", "Choose considering"),
    ],
)
def test_status_needs_its_reason(world: Any, status: str, field: str, message: str) -> None:
    inn = fi.innovation(world)
    with pytest.raises(services.InnovationError) as exc:
        fi.adopt(world, inn, status=status)
    assert message in exc.value.errors[field][0]


def test_status_history_is_dated_and_ordered(world: Any) -> None:
    inn = fi.innovation(world)
    a = fi.adopt(world, inn, status="considering", on=dt.date(2026, 1, 5))
    services.adoption_set_status(
        actor=world.people["staff_b"],
        adoption=a,
        data=services.StatusInput(
            status="adapted", on=dt.date(2026, 2, 1), what_changed="Once a day"
        ),
    )
    with pytest.raises(services.InnovationError, match="on or after 1 February 2026"):
        services.adoption_set_status(
            actor=world.people["staff_b"],
            adoption=a,
            data=services.StatusInput(status="adopted", on=dt.date(2026, 1, 20)),
        )
    services.adoption_set_status(
        actor=world.people["staff_b"],
        adoption=a,
        data=services.StatusInput(
            status="abandoned", on=dt.date(2026, 3, 1), why_abandoned="Staffing"
        ),
    )
    steps = list(a.steps.values_list("status", "on"))
    assert steps == [
        ("considering", dt.date(2026, 1, 5)),
        ("adapted", dt.date(2026, 2, 1)),
        ("abandoned", dt.date(2026, 3, 1)),
    ]
    a.refresh_from_db()
    assert (a.status, a.what_changed, a.why_abandoned) == ("abandoned", "Once a day", "Staffing")


def test_start_a_project_from_the_package(world: Any) -> None:
    inn = fi.innovation(world)
    a = fi.adopt(world, inn)
    project = services.adoption_start_project(
        actor=world.people["staff_b"], adoption=a, aim_statement="No restraint on Elm ward by June."
    )
    assert project.lead_organisation == world.trust_b
    assert project.aim.statement == "No restraint on Elm ward by June."
    assert inn.get_absolute_url() in project.summary
    idea = ChangeIdea.objects.get(project=project)
    secondary = idea.secondaries.get()
    assert (idea.text, secondary.text) == ("Twice-daily safety huddle", "Shared risk picture")
    assert secondary.primaries.get().text == "Early recognition"
    assert PrimaryDriver.objects.filter(project=project).count() == 1
    assert SecondaryDriver.objects.filter(project=project).count() == 1
    fields = services.DEFINITION_FIELDS
    theirs = {
        m.name: services.definition_of(m) for m in Measure.objects.filter(project=inn.project)
    }
    ours = {m.name: services.definition_of(m) for m in Measure.objects.filter(project=project)}
    assert ours == theirs and len(fields) == 14
    a.refresh_from_db()
    assert a.project == project
    with pytest.raises(services.InnovationError, match="already has a project"):
        services.adoption_start_project(actor=world.people["staff_b"], adoption=a)


def test_harvest_an_uploaded_storyboard(world: Any) -> None:
    from qicollab.events.models import Storyboard
    from tests.events.conftest import make_session

    s = make_session(world.collab, days_ahead=-3)
    board = Storyboard.objects.create(
        session=s,
        kind="upload",
        title="Calm boxes",
        organisation=world.trust_b,
        summary="Sensory boxes",
        file_name="storyboards/x",
        content_type="application/pdf",
        file_size=10,
    )
    with pytest.raises(services.InnovationError, match="Only Brook"):
        services.innovation_harvest(
            actor=world.people["staff_a"],
            storyboard=board,
            data=services.InnovationInput(title="Calm boxes"),
        )
    inn = services.innovation_harvest(
        actor=world.people["staff_b"],
        storyboard=board,
        data=services.InnovationInput(title="Calm boxes"),
    )
    assert inn.harvested_at == s and inn.organisation == world.trust_b and inn.project is None
