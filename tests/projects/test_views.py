"""Page journeys: start a project, write the aim, build the diagram, test a change, rate."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qicollab.projects import services
from qicollab.projects.models import (
    ChangeIdea,
    CoProduction,
    PdsaCycle,
    PrimaryDriver,
    Project,
    SecondaryDriver,
)
from tests import factories as f

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_start_a_project_from_nothing(world: Any, login: Any) -> None:
    ws = f.WorkstreamFactory(collaborative=world.collab, name="Restrictive practice")
    c = login(world.people["staff_a"])
    page = c.get(reverse("projects:project_create"))
    assert page.status_code == 200
    assert b"Everyone in the collaborative" in page.content
    response = c.post(
        reverse("projects:project_create"),
        {
            "title": "Safer nights",
            "collaborative": world.collab.pk,
            "lead_organisation": world.trust_a.pk,
            "workstream": ws.pk,
            "sharing": "organisation",
            "summary": "",
        },
    )
    project = Project.objects.get(title="Safer nights")
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    assert project.workstream == ws and project.sharing == "organisation"
    detail = c.get(project.get_absolute_url())
    for heading in (
        b"What are we trying to accomplish?",
        b"How will we know that a change is an improvement?",
        b"What change can we make that will result in improvement?",
    ):
        assert heading in detail.content


def test_start_a_project_with_mistakes_keeps_what_was_typed(world: Any, login: Any) -> None:
    c = login(world.people["staff_a"])
    response = c.post(
        reverse("projects:project_create"),
        {
            "title": "Kept title",
            "collaborative": world.collab.pk,
            "lead_organisation": world.trust_b.pk,
            "sharing": "",
        },
    )
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"Choose who can see the project." in response.content
    assert (
        b"Choose a member organisation of the collaborative that you work for." in response.content
    )
    assert b'value="Kept title"' in response.content
    assert not Project.objects.exists()


def test_viewers_cannot_start_projects(world: Any, login: Any) -> None:
    assert (
        login(world.people["viewer_a"]).get(reverse("projects:project_create")).status_code == 403
    )
    assert (
        login(world.people["outsider"]).get(reverse("projects:project_create")).status_code == 403
    )


def test_stopping_needs_a_reason(project: Project, world: Any, login: Any) -> None:
    c = login(world.people["staff_a"])
    url = reverse("projects:project_edit", args=[project.slug])
    response = c.post(url, {"title": project.title, "status": "stopped", "stop_reason": " "})
    assert response.status_code == 200
    assert b"Say why the project stopped." in response.content
    ok = c.post(url, {"title": project.title, "status": "stopped", "stop_reason": "Ward closed"})
    assert ok.status_code == 302
    assert b"Ward closed" in c.get(project.get_absolute_url()).content


def test_end_date_before_start_is_refused(project: Project, world: Any, login: Any) -> None:
    c = login(world.people["staff_a"])
    response = c.post(
        reverse("projects:project_edit", args=[project.slug]),
        {
            "title": project.title,
            "status": "active",
            "start_date": "2026-05-01",
            "end_date": "2026-04-01",
        },
    )
    assert b"The end date must be the same as or after the start date." in response.content


def test_aim_saved_without_javascript_shows_what_is_missing(
    project: Project, world: Any, login: Any
) -> None:
    c = login(world.people["staff_a"])
    response = c.post(
        reverse("projects:aim_edit", args=[project.slug]),
        {"direction": "reduce", "measure_text": "falls", "baseline_value": "1,200"},
        follow=True,
    )
    assert response.status_code == 200
    assert b"It is not SMART yet" in response.content
    assert b"This aim is not SMART yet" in response.content
    assert b"Say for whom" in response.content
    project.aim.refresh_from_db()
    assert project.aim.baseline_value == 1200


def test_aim_live_check_fragment(project: Project, world: Any, login: Any) -> None:
    c = login(world.people["staff_a"])
    url = reverse("projects:aim_check", args=[project.slug])
    response = c.post(
        url, {"direction": "increase", "baseline_value": "40", "target_value": "oops"}, **HTMX
    )
    assert response.status_code == 200
    assert b"<html" not in response.content  # a fragment
    assert b"Give the target as a number" in response.content  # a bad number counts as missing
    assert b"Increase [what you measure]" in response.content
    assert c.get(url).status_code == 405
    assert login(world.people["staff_b"]).post(url, {}).status_code == 404


def test_bad_aim_numbers_are_explained(project: Project, world: Any, login: Any) -> None:
    c = login(world.people["staff_a"])
    response = c.post(
        reverse("projects:aim_edit", args=[project.slug]),
        {"target_value": "ten", "target_date": "31/13/2026"},
    )
    assert b"Enter a number, like 12 or 45.5." in response.content
    assert b"Enter a real date, like 2026-04-01." in response.content
    assert b'value="ten"' in response.content


def test_driver_diagram_editing_without_javascript(
    project: Project, world: Any, login: Any
) -> None:
    c = login(world.people["staff_a"])
    slug = project.slug
    r = c.post(
        reverse("projects:node_add", args=[slug, "primary"]), {"add-primary-text": "Safe staffing"}
    )
    assert r.status_code == 302
    primary = PrimaryDriver.objects.get(project=project)
    c.post(
        reverse("projects:node_add", args=[slug, "secondary"]),
        {"add-secondary-text": "Escalation plan", "add-secondary-links": [primary.pk]},
    )
    secondary = SecondaryDriver.objects.get(project=project)
    assert list(secondary.primaries.all()) == [primary]
    c.post(reverse("projects:node_add", args=[slug, "idea"]), {"add-idea-text": "Red flag card"})
    idea = ChangeIdea.objects.get(project=project)
    assert (
        b"Not linked to a secondary driver"
        in c.get(reverse("projects:drivers", args=[slug])).content
    )
    r = c.post(
        reverse("projects:node_edit", args=[slug, "idea", idea.pk]),
        {
            "text": "Red flag card at handover",
            "links": [secondary.pk],
            "description": "",
            "loaded_version": "",
        },
    )
    assert r.status_code == 302
    idea.refresh_from_db()
    assert idea.text == "Red flag card at handover" and list(idea.secondaries.all()) == [secondary]
    confirm = c.get(reverse("projects:node_delete", args=[slug, "primary", primary.pk]))
    assert b"1 secondary driver will no longer be linked to it." in confirm.content
    c.post(reverse("projects:node_delete", args=[slug, "primary", primary.pk]))
    assert not PrimaryDriver.objects.filter(pk=primary.pk).exists()


def test_driver_diagram_editing_with_htmx(project: Project, world: Any, login: Any) -> None:
    c = login(world.people["staff_a"])
    slug = project.slug
    r = c.post(
        reverse("projects:node_add", args=[slug, "primary"]), {"add-primary-text": "One"}, **HTMX
    )
    assert r.status_code == 200 and b'id="driver-editor"' in r.content and b"<html" not in r.content
    assert b"Added the primary driver" in r.content  # spoken by the live region
    c.post(
        reverse("projects:node_add", args=[slug, "primary"]), {"add-primary-text": "Two"}, **HTMX
    )
    two = PrimaryDriver.objects.get(project=project, text="Two")
    r = c.post(
        reverse("projects:node_move", args=[slug, "primary", two.pk]), {"direction": "up"}, **HTMX
    )
    assert r.status_code == 200
    assert list(
        PrimaryDriver.objects.filter(project=project)
        .order_by("order")
        .values_list("text", flat=True)
    ) == ["Two", "One"]
    blank = c.post(
        reverse("projects:node_add", args=[slug, "primary"]), {"add-primary-text": ""}, **HTMX
    )
    assert b"Enter the primary driver." in blank.content
    form = c.get(reverse("projects:node_edit", args=[slug, "primary", two.pk]), **HTMX)
    assert b"<html" not in form.content and b'name="text"' in form.content
    bad = c.post(
        reverse("projects:node_edit", args=[slug, "primary", two.pk]), {"text": ""}, **HTMX
    )
    assert bad["HX-Retarget"] == f"#node-primary-{two.pk}" and bad["HX-Reswap"] == "innerHTML"


def test_pdsa_cycle_journey(full_project: Project, world: Any, login: Any) -> None:
    c = login(world.people["partner_a"])
    idea = ChangeIdea.objects.get(project=full_project, text="Sensory room")
    url = reverse("projects:pdsa_create", args=[full_project.slug])
    assert f'value="{idea.pk}" checked'.encode() in c.get(url + f"?idea={idea.pk}").content
    r = c.post(
        url,
        {
            "title": "Sensory room trial",
            "change_ideas": [idea.pk],
            "purpose": "test",
            "status": "plan",
            "scale": "1 patient, 1 evening",
            "predictions": "Calmer evening",
        },
    )
    cycle = PdsaCycle.objects.get(title="Sensory room trial")
    assert r.status_code == 302 and cycle.cycle_number == 1
    edit = reverse("projects:pdsa_edit", args=[full_project.slug, cycle.pk])
    base = {
        "title": cycle.title,
        "change_ideas": [idea.pk],
        "purpose": "test",
        "loaded_version": "",
        "scale": cycle.scale,  # the form posts every field back
        "predictions": cycle.predictions,
    }
    bad = c.post(edit, base | {"status": "complete"})
    assert b"Choose adopt, adapt or abandon before marking the cycle complete." in bad.content
    ok = c.post(
        edit,
        base
        | {
            "status": "complete",
            "act_decision": "adapt",
            "carried_out_as_planned": "no",
            "prediction_confirmed": "yes",
            "learning": "Needs a quieter space",
        },
    )
    assert ok.status_code == 302
    cycle.refresh_from_db()
    assert cycle.carried_out_as_planned is False and cycle.prediction_confirmed is True
    ramps = c.get(reverse("projects:pdsa_list", args=[full_project.slug]))
    assert b"Sensory room trial" in ramps.content
    assert b"1 patient, 1 evening" in ramps.content
    detail = c.get(reverse("projects:pdsa_detail", args=[full_project.slug, cycle.pk]))
    assert b"Needs a quieter space" in detail.content and b"Adapt" in detail.content


def test_progress_rating_journey(project: Project, world: Any, login: Any) -> None:
    c = login(world.people["staff_a"])
    url = reverse("projects:progress_create", args=[project.slug, "self"])
    form = c.get(url)
    assert b"Charter and team established" in form.content
    bad = c.post(url, {"month": "2025-01-01", "score": "2.3"})
    assert b"Choose one of the scale&#39;s scores." in bad.content
    old = c.post(url, {"month": "1999-01-01", "score": "2.0"})
    assert b"Choose this month or one of the 36 months before it." in old.content
    from django.utils import timezone

    month = timezone.localdate().replace(day=1).isoformat()
    assert c.post(url, {"month": month, "score": "2.0", "barriers": "Staffing"}).status_code == 302
    again = c.post(url, {"month": month, "score": "2.5"})
    assert b"There is already a rating by the team" in again.content
    page = c.get(reverse("projects:progress", args=[project.slug]))
    # The step chart is a server-rendered SVG image whose text alternative says the latest score.
    assert b"Activity, but no changes" in page.content
    assert b'src="data:image/svg+xml;base64,' in page.content
    assert b"latest team score 2.0 in" in page.content
    assert b"2.0" in c.get(project.get_absolute_url()).content


def test_coproduction_is_recorded_and_shown(project: Project, world: Any, login: Any) -> None:
    c = login(world.people["partner_a"])
    url = reverse("projects:coproduction_edit", args=[project.slug, "aim"])
    r = c.post(
        url,
        {
            "level": "co_designed",
            "description": "We chose the aim together",
            "partners_involved": "Ward forum",
        },
    )
    assert r.status_code == 302
    page = c.get(project.get_absolute_url())
    assert b"Co-designed" in page.content and b"We chose the aim together" in page.content
    c.post(url, {"action": "clear"})
    assert not CoProduction.objects.filter(project=project).exists()
    assert (
        c.get(reverse("projects:coproduction_edit", args=[project.slug, "nonsense"])).status_code
        == 404
    )


def test_list_filters(make_project: Any, world: Any, login: Any) -> None:
    make_project(sharing="collaborative", title="Alpha falls")
    beta = make_project(sharing="collaborative", title="Beta sepsis")
    services.project_update(actor=world.people["staff_a"], project=beta, data={"status": "active"})
    c = login(world.people["staff_b"])
    everything = c.get(reverse("projects:project_list"))
    assert b"Alpha falls" in everything.content and b"Beta sepsis" in everything.content
    active = c.get(reverse("projects:project_list"), {"status": "active"})
    assert b"Alpha falls" not in active.content and b"Beta sepsis" in active.content
    search = c.get(reverse("projects:project_list"), {"q": "falls"})
    assert b"Alpha falls" in search.content and b"Beta sepsis" not in search.content
    by_org = c.get(reverse("projects:project_list"), {"organisation": world.trust_b.pk})
    assert b"Alpha falls" not in by_org.content


def test_anonymous_list_shows_only_public_projects(make_project: Any, login: Any) -> None:
    make_project(sharing="public", title="Open project")
    make_project(sharing="collaborative", title="Members only")
    page = login(None).get(reverse("projects:project_list"))
    assert b"Open project" in page.content and b"Members only" not in page.content


def test_project_list_has_no_n_plus_one(make_project: Any, world: Any, login: Any) -> None:
    """Queries stay the same as rows grow (organisations, workstream, latest score per row)."""
    import datetime as dt

    def add(n: int) -> None:
        for i in range(n):
            p = make_project(
                sharing="collaborative", title=f"Project {Project.objects.count()} {i}"
            )
            services.progress_report_save(
                actor=world.people["staff_a"],
                project=p,
                rater_type="self",
                month=dt.date(2025, 1, 1),
                score="1.5",
            )

    c = login(world.people["collab_lead"])
    url = reverse("projects:project_list")
    add(2)
    c.get(url)  # warm any per-process caches
    with CaptureQueriesContext(connection) as few:
        assert c.get(url).status_code == 200
    add(10)
    with CaptureQueriesContext(connection) as many:
        response = c.get(url)
    assert response.content.count(b"1.5") >= 12
    assert len(many) == len(few), [q["sql"] for q in many]


def test_project_page_queries_do_not_grow_with_the_diagram(
    full_project: Project, world: Any, login: Any, django_assert_max_num_queries: Any
) -> None:
    c = login(world.people["staff_a"])
    with django_assert_max_num_queries(60):
        assert c.get(full_project.get_absolute_url()).status_code == 200
    actor = world.people["staff_a"]
    s = SecondaryDriver.objects.filter(project=full_project).first()
    for i in range(15):
        idea = services.node_add(
            actor=actor, project=full_project, kind="idea", text=f"Idea {i}", links=[s]
        )
        services.pdsa_cycle_create(
            actor=actor, project=full_project, change_ideas=[idea], data={"title": f"C{i}"}
        )
    with CaptureQueriesContext(connection) as before:
        c.get(full_project.get_absolute_url())
    services.node_add(actor=actor, project=full_project, kind="idea", text="One more", links=[s])
    with CaptureQueriesContext(connection) as after:
        c.get(full_project.get_absolute_url())
    assert len(after) == len(before)
