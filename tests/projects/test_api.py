"""The projects API does what the pages do, with the same rules and messages."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from qicollab.accounts.models import ApiToken, hash_token
from qicollab.projects.models import ChangeIdea, PdsaCycle, Project, ProjectMember
from tests import factories as f

JSON = "application/json"


def test_create_and_read_a_project(world: Any, login: Any) -> None:
    ws = f.WorkstreamFactory(collaborative=world.collab, slug="restrictive-practice")
    c = login(world.people["staff_a"])
    body = {
        "title": "API project",
        "collaborative": world.collab.slug,
        "lead_organisation": world.trust_a.slug,
        "workstream": ws.slug,
        "sharing": "organisation",
    }
    response = c.post("/api/projects/", body, content_type=JSON)
    assert response.status_code == 201, response.content
    data = response.json()
    assert (
        data["workstream"]["slug"] == ws.slug
        and data["lead_organisation"]["slug"] == world.trust_a.slug
    )
    assert c.get(f"/api/projects/{data['slug']}").json()["title"] == "API project"
    items = c.get("/api/projects/", {"status": "idea"}).json()["items"]
    assert [p["slug"] for p in items] == [data["slug"]]


def test_create_explains_bad_input(world: Any, login: Any) -> None:
    c = login(world.people["staff_a"])
    response = c.post(
        "/api/projects/",
        {"title": "", "collaborative": "nope", "lead_organisation": world.trust_b.slug},
        content_type=JSON,
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail["title"] == ["Enter a title for the project."]
    assert detail["collaborative"] == ["Choose a collaborative you can start a project in."]
    unknown = c.post(
        "/api/projects/",
        {
            "title": "x",
            "collaborative": world.collab.slug,
            "lead_organisation": world.trust_a.slug,
            "colour": "red",
        },
        content_type=JSON,
    )
    assert unknown.status_code == 422  # a misspelt field is an error, not silently ignored
    assert not Project.objects.exists()


def test_patch_details_and_sharing(project: Any, world: Any, login: Any) -> None:
    theme = f.ThemeFactory(collaborative=world.collab, slug="co-production")
    c = login(world.people["staff_a"])
    version = c.get(f"/api/projects/{project.slug}").json()["version"]
    response = c.patch(
        f"/api/projects/{project.slug}",
        {
            "version": version,
            "status": "active",
            "tags": ["Falls", "falls", "nights"],
            "themes": [theme.slug],
            "sharing": "organisation",
            "partner_organisations": [world.trust_b.slug],
        },
        content_type=JSON,
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "active" and data["tags"] == ["Falls", "nights"]
    assert [t["slug"] for t in data["themes"]] == [theme.slug]
    assert (
        data["sharing"] == "organisation"
        and data["partner_organisations"][0]["slug"] == world.trust_b.slug
    )
    assert login(world.people["staff_b"]).get(f"/api/projects/{project.slug}").status_code == 200
    bad = c.patch(
        f"/api/projects/{project.slug}",
        {"end_date": "2020-01-01", "start_date": "2021-01-01", "version": data["version"]},
        content_type=JSON,
    )
    assert bad.status_code == 422
    assert "end_date" in bad.json()["detail"]


def test_team_endpoints(project: Any, world: Any, login: Any) -> None:
    c = login(world.people["staff_a"])
    url = f"/api/projects/{project.slug}/team"
    assert {m["role"] for m in c.get(url).json()} == {"lead", "partner"}
    added = c.post(
        url, {"person_id": world.people["viewer_a"].pk, "role": "sponsor"}, content_type=JSON
    )
    assert added.status_code == 201
    stranger = c.post(url, {"person_id": world.people["pm_o"].pk}, content_type=JSON)
    assert stranger.status_code == 422 and "person_id" in stranger.json()["detail"]
    lead = ProjectMember.objects.get(project=project, role="lead")
    last = c.delete(f"{url}/{lead.pk}")
    assert last.status_code == 422
    assert "at least one project lead" in last.json()["detail"]["__all__"][0]
    demote = c.patch(f"{url}/{lead.pk}", {"role": "member"}, content_type=JSON)
    assert demote.status_code == 422 and "role" in demote.json()["detail"]
    assert c.delete(f"{url}/{added.json()['id']}").status_code == 204


def test_aim_endpoints(project: Any, world: Any, login: Any) -> None:
    c = login(world.people["partner_a"])
    url = f"/api/projects/{project.slug}/aim"
    check = c.post(
        f"{url}/check", {"direction": "increase", "statement": "Improve care"}, content_type=JSON
    ).json()
    assert any("vague" in p for p in check["smart_problems"])
    saved = c.put(
        url,
        {
            "version": c.get(url).json()["version"],
            "direction": "increase",
            "measure_text": "completed physical health checks",
            "population": "adults on the ward",
            "setting": "Ash ward",
            "baseline_value": "40",
            "target_value": "90",
            "unit": "%",
            "target_date": "2030-03-31",
        },
        content_type=JSON,
    )
    assert saved.status_code == 200, saved.content
    data = saved.json()
    assert data["smart_problems"] == []
    assert data["sentence"].startswith(
        "Increase completed physical health checks for adults on the ward"
    )
    bad = c.put(url, {"baseline_value": "lots", "version": data["version"]}, content_type=JSON)
    assert bad.status_code == 422


def test_progress_endpoints(project: Any, world: Any, login: Any) -> None:
    c = login(world.people["staff_a"])
    url = f"/api/projects/{project.slug}/progress-reports"
    ok = c.post(
        url, {"month": "2025-02", "score": "1.5", "progress": "Team formed"}, content_type=JSON
    )
    assert ok.status_code == 201, ok.content
    assert (
        ok.json()["month"] == "2025-02-01"
        and ok.json()["label"] == "Planning for the project has begun"
    )
    off = c.post(url, {"month": "2025-03", "score": "1.7"}, content_type=JSON)
    assert off.status_code == 422 and "score" in off.json()["detail"]
    again = c.post(url, {"month": "2025-02-14", "score": "2.0"}, content_type=JSON)
    assert again.status_code == 422 and "already a rating" in again.json()["detail"]["month"][0]
    faculty = login(world.people["faculty"]).post(
        url, {"month": "2025-02", "score": "1.0", "rater_type": "faculty"}, content_type=JSON
    )
    assert faculty.status_code == 201
    assert [r["rater_type"] for r in c.get(url).json()] == ["faculty", "self"]


def test_driver_diagram_endpoints(full_project: Any, world: Any, login: Any) -> None:
    c = login(world.people["staff_a"])
    data = c.get(f"/api/projects/{full_project.slug}/driver-diagram").json()
    assert len(data["change_ideas"]) == 3 and data["aim"].startswith("Reduce")
    orphan = next(i for i in data["change_ideas"] if i["text"] == "Sensory room")
    assert orphan["orphan"] is True and orphan["secondary_driver_ids"] == []
    svg = c.get(f"/api/projects/{full_project.slug}/driver-diagram.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    ET.fromstring(svg.content)  # noqa: S314 - our own output


def test_pdsa_endpoints(full_project: Any, world: Any, login: Any) -> None:
    c = login(world.people["staff_a"])
    url = f"/api/projects/{full_project.slug}/pdsa-cycles"
    idea = ChangeIdea.objects.get(project=full_project, text="Sensory room")
    created = c.post(
        url,
        {
            "title": "Try the room",
            "change_ideas": [idea.pk],
            "scale": "1 patient",
            "predictions": "Calmer",
        },
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    cycle = created.json()
    assert cycle["cycle_number"] == 1 and cycle["status"] == "plan"
    one = f"{url}/{cycle['id']}"
    incomplete = c.patch(
        one, {"status": "complete", "version": cycle["version"]}, content_type=JSON
    )
    assert incomplete.status_code == 422 and "act_decision" in incomplete.json()["detail"]
    done = c.patch(
        one,
        {
            "status": "complete",
            "act_decision": "adopt",
            "carried_out_as_planned": True,
            "version": cycle["version"],
        },
        content_type=JSON,
    )
    assert done.status_code == 200, done.content
    assert done.json()["carried_out_as_planned"] is True and done.json()["scale"] == "1 patient"
    stale = c.patch(one, {"learning": "x", "version": cycle["version"]}, content_type=JSON)
    assert stale.status_code == 409
    assert c.get(f"{url}/999999").status_code == 404
    assert len(c.get(url).json()) == PdsaCycle.objects.filter(project=full_project).count()


def test_api_token_and_anonymous_access(make_project: Any, world: Any, client: Any) -> None:
    public = make_project(sharing="public", title="Public one")
    private = make_project(sharing="private", title="Private one")
    assert client.get(f"/api/projects/{public.slug}").status_code == 200
    assert client.get(f"/api/projects/{private.slug}").status_code == 404
    assert (
        client.patch(
            f"/api/projects/{public.slug}", {"summary": "x"}, content_type=JSON
        ).status_code
        == 401
    )
    raw = ApiToken.generate_key()
    ApiToken.objects.create(
        person=world.people["staff_a"], name="feed", key_prefix=raw[:8], key_hash=hash_token(raw)
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get(f"/api/projects/{private.slug}", **auth).status_code == 200
    version = client.get(f"/api/projects/{private.slug}", **auth).json()["version"]
    patched = client.patch(
        f"/api/projects/{private.slug}",
        {"summary": "by token", "version": version},
        content_type=JSON,
        **auth,
    )
    assert patched.status_code == 200


def test_api_list_queries_do_not_grow(make_project: Any, world: Any, login: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = login(world.people["collab_lead"])
    make_project(sharing="collaborative", title="First")
    c.get("/api/projects/")
    with CaptureQueriesContext(connection) as few:
        c.get("/api/projects/")
    for i in range(6):
        p = make_project(sharing="collaborative", title=f"More {i}")
        p.tags.set([])
    with CaptureQueriesContext(connection) as many:
        assert c.get("/api/projects/").json()["count"] == 7
    assert len(many) == len(few)


def test_api_list_filters(make_project: Any, world: Any, login: Any) -> None:
    ws = f.WorkstreamFactory(collaborative=world.collab, slug="sexual-safety")
    tagged = make_project(sharing="collaborative", title="Tagged")
    other = make_project(sharing="collaborative", title="Other")
    from qicollab.projects import services

    services.project_update(
        actor=world.people["staff_a"], project=tagged, data={"workstream": ws, "tags": "night"}
    )
    c = login(world.people["staff_b"])

    def slugs(**params: str) -> set[str]:
        return {p["slug"] for p in c.get("/api/projects/", params).json()["items"]}

    assert slugs() == {tagged.slug, other.slug}
    assert slugs(workstream="sexual-safety") == {tagged.slug}
    assert slugs(q="night") == {tagged.slug}
    assert slugs(organisation=world.trust_a.slug) == {tagged.slug, other.slug}
    assert slugs(organisation=world.trust_b.slug) == set()
    assert slugs(organisation="no-such-organisation") == set()
