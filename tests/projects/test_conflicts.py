"""Two people editing the same thing: the second save never silently overwrites the first."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from qicollab.projects.models import PdsaCycle

VERSION = re.compile(rb'name="loaded_version" id="id_loaded_version" value="([^"]*)"')


def _version(response: Any) -> str:
    match = VERSION.search(response.content)
    assert match, "the form carries the version it was loaded at"
    return match.group(1).decode()


def test_project_details(project: Any, world: Any, login: Any) -> None:
    url = reverse("projects:project_edit", args=[project.slug])
    alice, bob = login(world.people["staff_a"]), login(world.people["pm_a"])
    va, vb = _version(alice.get(url)), _version(bob.get(url))
    base = {"title": project.title, "status": "active", "stop_reason": "", "summary": ""}
    assert (
        alice.post(url, base | {"summary": "Alice's summary", "loaded_version": va}).status_code
        == 302
    )
    response = bob.post(url, base | {"summary": "Bob's summary", "loaded_version": vb})
    assert response.status_code == 200
    assert b"Someone else saved changes to this project" in response.content
    assert b"Bob&#39;s summary" in response.content  # Bob's edit is still in the form
    assert b"Alice&#39;s summary" in response.content  # and Alice's is shown beside it
    project.refresh_from_db()
    assert project.summary == "Alice's summary"
    # Having seen both, Bob saves again on purpose: the form now carries the new version.
    again = bob.post(url, base | {"summary": "Bob's summary", "loaded_version": _version(response)})
    assert again.status_code == 302
    project.refresh_from_db()
    assert project.summary == "Bob's summary"


def test_aim(project: Any, world: Any, login: Any) -> None:
    url = reverse("projects:aim_edit", args=[project.slug])
    alice, bob = login(world.people["staff_a"]), login(world.people["partner_a"])
    va, vb = _version(alice.get(url)), _version(bob.get(url))
    assert alice.post(url, {"population": "older adults", "loaded_version": va}).status_code == 302
    response = bob.post(url, {"population": "carers", "loaded_version": vb})
    assert response.status_code == 200
    assert b"Someone else saved changes to this aim" in response.content
    project.aim.refresh_from_db()
    assert project.aim.population == "older adults"


def test_pdsa_cycle(full_project: Any, world: Any, login: Any) -> None:
    cycle = PdsaCycle.objects.filter(project=full_project, status="do").first()
    url = reverse("projects:pdsa_edit", args=[full_project.slug, cycle.pk])
    alice, bob = login(world.people["staff_a"]), login(world.people["partner_a"])
    va, vb = _version(alice.get(url)), _version(bob.get(url))
    base = {
        "title": cycle.title,
        "change_ideas": [i.pk for i in cycle.change_ideas.all()],
        "purpose": "test",
        "status": "study",
    }
    assert (
        alice.post(
            url, base | {"results": "Huddles took 4 minutes", "loaded_version": va}
        ).status_code
        == 302
    )
    response = bob.post(url, base | {"results": "Staff liked it", "loaded_version": vb})
    assert response.status_code == 200
    assert b"Someone else saved changes to this PDSA cycle" in response.content
    assert b"Staff liked it" in response.content
    cycle.refresh_from_db()
    assert cycle.results == "Huddles took 4 minutes"


def test_driver_node(full_project: Any, world: Any, login: Any) -> None:
    from qicollab.projects.models import PrimaryDriver

    node = PrimaryDriver.objects.filter(project=full_project).first()
    url = reverse("projects:node_edit", args=[full_project.slug, "primary", node.pk])
    alice, bob = login(world.people["staff_a"]), login(world.people["partner_a"])
    va, vb = _version(alice.get(url)), _version(bob.get(url))
    assert alice.post(url, {"text": "Alice's driver", "loaded_version": va}).status_code == 302
    response = bob.post(url, {"text": "Bob's driver", "loaded_version": vb})
    assert response.status_code == 200
    assert b"Someone else saved changes" in response.content
    node.refresh_from_db()
    assert node.text == "Alice's driver"


def test_api_reports_a_conflict_with_409(project: Any, world: Any, login: Any) -> None:
    c = login(world.people["staff_a"])
    url = f"/api/projects/{project.slug}"
    version = c.get(url).json()["version"]
    first = c.patch(url, {"summary": "one", "version": version}, content_type="application/json")
    assert first.status_code == 200
    second = c.patch(url, {"summary": "two", "version": version}, content_type="application/json")
    assert second.status_code == 409
    body = second.json()
    assert body["current"]["summary"] == "one"
    assert body["current_version"] == first.json()["version"]
    aim_url = f"{url}/aim"
    aim_version = c.get(aim_url).json()["version"]
    assert (
        c.put(
            aim_url, {"population": "a", "version": aim_version}, content_type="application/json"
        ).status_code
        == 200
    )
    stale = c.put(
        aim_url, {"population": "b", "version": aim_version}, content_type="application/json"
    )
    assert stale.status_code == 409
