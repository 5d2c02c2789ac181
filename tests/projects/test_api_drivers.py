"""Editing the driver diagram through the API: the pages' rules, messages and services."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qicollab.projects import services
from qicollab.projects.models import ChangeIdea, PrimaryDriver, SecondaryDriver
from tests.api.conftest import api_client, call, make_token
from tests.conftest import PERSONAS

__all__ = ["api_client", "make_token"]  # the API tests' fixtures, used here too


def base(project: Any) -> str:
    return f"/api/projects/{project.slug}/driver-diagram"


def _ids(column: list[dict[str, Any]]) -> list[int]:
    return [n["id"] for n in column]


def test_build_a_diagram_from_nothing(project: Any, world: Any, login: Any) -> None:
    c = login(world.people["partner_a"])  # any team role edits, as on the page
    url = base(project)
    p1 = call(c, "POST", f"{url}/primary-drivers", {"text": "  Safe   ward environment "})
    assert p1.status_code == 201, p1.content
    p1 = p1.json()
    assert p1["text"] == "Safe ward environment"  # the service tidies spaces, as on the page
    p2 = call(c, "POST", f"{url}/primary-drivers", {"text": "Confident staff"}).json()
    s1 = call(
        c,
        "POST",
        f"{url}/secondary-drivers",
        {"text": "Huddles every shift", "primary_driver_ids": [p1["id"], p2["id"]]},
    )
    assert s1.status_code == 201, s1.content
    s1 = s1.json()
    assert s1["primary_driver_ids"] == sorted([p1["id"], p2["id"]])
    idea = call(
        c,
        "POST",
        f"{url}/change-ideas",
        {
            "text": "Huddle at handover",
            "description": "Five minutes, standing up.",
            "secondary_driver_ids": [s1["id"]],
        },
    )
    assert idea.status_code == 201, idea.content
    idea = idea.json()
    assert idea["description"] == "Five minutes, standing up."
    assert idea["secondary_driver_ids"] == [s1["id"]]

    # The nested diagram (the pages' reader) shows what was written.
    diagram = c.get(url).json()
    assert [p["text"] for p in diagram["primary_drivers"]] == [
        "Safe ward environment",
        "Confident staff",
    ]
    assert diagram["secondary_drivers"][0]["primary_driver_ids"] == [p1["id"], p2["id"]]
    assert diagram["change_ideas"][0]["secondary_driver_ids"] == [s1["id"]]
    assert diagram["change_ideas"][0]["orphan"] is False

    # Every write is in the history with its author.
    node = ChangeIdea.objects.get(pk=idea["id"])
    assert node.history.first().history_user == world.people["partner_a"]  # type: ignore[attr-defined]


def test_read_lists_and_one_node(full_project: Any, world: Any, login: Any) -> None:
    c = login(world.people["viewer_a"])  # the project is private: viewers cannot see it
    assert c.get(f"{base(full_project)}/change-ideas").status_code == 404
    c = login(world.people["faculty"])
    ideas = c.get(f"{base(full_project)}/change-ideas").json()
    assert [i["text"] for i in ideas] == list(
        ChangeIdea.objects.filter(project=full_project)
        .order_by("order", "id")
        .values_list("text", flat=True)
    )
    calm = next(i for i in ideas if i["text"] == "Safewards calm-down methods")
    assert len(calm["secondary_driver_ids"]) == 2
    one = c.get(f"{base(full_project)}/change-ideas/{calm['id']}")
    assert one.status_code == 200 and one.json() == calm
    missing = c.get(f"{base(full_project)}/secondary-drivers/99999999")
    assert missing.status_code == 404
    assert (
        missing.json()["detail"]
        == "This project's driver diagram has no secondary driver 99999999."
    )


def test_rename_with_version_and_conflict(full_project: Any, world: Any, login: Any) -> None:
    c = login(world.people["staff_a"])
    other = login(world.people["partner_a"])
    s = SecondaryDriver.objects.get(project=full_project, text="Safety huddles every shift")
    url = f"{base(full_project)}/secondary-drivers/{s.pk}"
    read = c.get(url).json()
    first = call(
        other, "PATCH", url, {"text": "Huddles on every shift", "version": read["version"]}
    )
    assert first.status_code == 200, first.content
    assert first.json()["version"] != read["version"]
    assert first.json()["primary_driver_ids"] == read["primary_driver_ids"]  # links kept

    stale = call(c, "PATCH", url, {"text": "Huddles twice a day", "version": read["version"]})
    assert stale.status_code == 409
    body = stale.json()
    assert "Someone else changed this secondary driver" in body["detail"]
    assert body["current"]["text"] == "Huddles on every shift"
    assert body["current_version"] == first.json()["version"]
    s.refresh_from_db()
    assert s.text == "Huddles on every shift"  # nothing lost, nothing overwritten

    again = call(
        c, "PATCH", url, {"text": "Huddles twice a day", "version": body["current_version"]}
    )
    assert again.status_code == 200 and again.json()["text"] == "Huddles twice a day"


def test_patch_replaces_links_and_description(full_project: Any, world: Any, login: Any) -> None:
    c = login(world.people["staff_a"])
    idea = ChangeIdea.objects.get(project=full_project, text="Sensory room")
    s = SecondaryDriver.objects.get(project=full_project, text="De-escalation training")
    url = f"{base(full_project)}/change-ideas/{idea.pk}"
    response = call(c, "PATCH", url, {"secondary_driver_ids": [s.pk], "description": "Quiet"})
    assert response.status_code == 200, response.content
    assert response.json()["secondary_driver_ids"] == [s.pk]
    assert response.json()["text"] == "Sensory room"  # unsent fields are kept
    idea.refresh_from_db()
    assert idea.description == "Quiet" and list(idea.secondaries.all()) == [s]
    cleared = call(c, "PATCH", url, {"secondary_driver_ids": []})
    assert cleared.json()["secondary_driver_ids"] == [] and cleared.json()["description"] == "Quiet"


def test_move_up_and_down(full_project: Any, world: Any, login: Any) -> None:
    c = login(world.people["staff_a"])
    url = f"{base(full_project)}/change-ideas"
    before = _ids(c.get(url).json())
    assert len(before) == 3
    moved = call(c, "POST", f"{url}/{before[2]}/move", {"direction": "up"})
    assert moved.status_code == 200, moved.content
    assert _ids(moved.json()) == [before[0], before[2], before[1]]
    assert _ids(c.get(url).json()) == [before[0], before[2], before[1]]
    assert _ids(c.get(base(full_project)).json()["change_ideas"]) == _ids(moved.json())

    top = call(c, "POST", f"{url}/{before[0]}/move", {"direction": "up"})
    assert top.status_code == 422
    assert top.json()["detail"]["direction"] == ["This change idea is already first in its column."]
    bottom = call(c, "POST", f"{url}/{before[1]}/move", {"direction": "down"})
    assert bottom.status_code == 422 and "already last" in str(bottom.json())
    sideways = call(c, "POST", f"{url}/{before[1]}/move", {"direction": "left"})
    assert sideways.status_code == 422
    assert _ids(c.get(url).json()) == [before[0], before[2], before[1]]


def test_link_and_unlink(full_project: Any, world: Any, login: Any) -> None:
    c = login(world.people["staff_a"])
    idea = ChangeIdea.objects.get(project=full_project, text="Sensory room")
    s1, s2 = SecondaryDriver.objects.filter(project=full_project).order_by("order")
    url = f"{base(full_project)}/change-ideas/{idea.pk}/secondary-drivers"
    linked = call(c, "PUT", f"{url}/{s1.pk}")
    assert linked.status_code == 200, linked.content
    assert linked.json()["secondary_driver_ids"] == [s1.pk]
    both = call(c, "PUT", f"{url}/{s2.pk}").json()
    assert both["secondary_driver_ids"] == sorted([s1.pk, s2.pk])
    twice = call(c, "PUT", f"{url}/{s2.pk}")
    assert twice.json()["secondary_driver_ids"] == sorted([s1.pk, s2.pk])
    assert twice.json()["version"] == both["version"]  # nothing changed, nothing saved
    unlinked = call(c, "DELETE", f"{url}/{s1.pk}")
    assert unlinked.status_code == 200 and unlinked.json()["secondary_driver_ids"] == [s2.pk]
    assert list(idea.secondaries.all()) == [s2]
    # A link moves the version on, so an edit read before it cannot silently undo it.
    stale = call(
        c,
        "PATCH",
        f"{base(full_project)}/change-ideas/{idea.pk}",
        {"secondary_driver_ids": [], "version": both["version"]},
    )
    assert stale.status_code == 409
    assert list(idea.secondaries.all()) == [s2]

    p1, p2 = PrimaryDriver.objects.filter(project=full_project).order_by("order")
    s_url = f"{base(full_project)}/secondary-drivers/{s1.pk}/primary-drivers"
    assert call(c, "PUT", f"{s_url}/{p2.pk}").json()["primary_driver_ids"] == sorted([p1.pk, p2.pk])
    assert call(c, "DELETE", f"{s_url}/{p1.pk}").json()["primary_driver_ids"] == [p2.pk]


def test_delete(full_project: Any, world: Any, login: Any) -> None:
    c = login(world.people["staff_a"])
    primary = PrimaryDriver.objects.get(project=full_project, text="Skilled & confident staff")
    feeding = SecondaryDriver.objects.get(project=full_project, text="De-escalation training")
    gone = call(c, "DELETE", f"{base(full_project)}/primary-drivers/{primary.pk}")
    assert gone.status_code == 204
    assert not PrimaryDriver.objects.filter(pk=primary.pk).exists()
    assert SecondaryDriver.objects.filter(pk=feeding.pk).exists()  # it stays, unlinked
    assert primary.pk not in feeding.primaries.values_list("pk", flat=True)
    again = call(c, "DELETE", f"{base(full_project)}/primary-drivers/{primary.pk}")
    assert again.status_code == 404

    tested = ChangeIdea.objects.get(project=full_project, text="Safewards calm-down methods")
    kept = call(c, "DELETE", f"{base(full_project)}/change-ideas/{tested.pk}")
    assert kept.status_code == 409
    assert "1 PDSA cycle" in kept.json()["detail"] and "abandon" in kept.json()["detail"]
    assert ChangeIdea.objects.filter(pk=tested.pk).exists()

    untested = ChangeIdea.objects.get(project=full_project, text="Sensory room")
    assert call(c, "DELETE", f"{base(full_project)}/change-ideas/{untested.pk}").status_code == 204
    assert not ChangeIdea.objects.filter(pk=untested.pk).exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter the primary driver."),
        ("   ", "Enter the primary driver."),
        ("x" * 301, "Keep the primary driver to 300 characters or fewer"),
    ],
)
def test_bad_text_is_explained(
    project: Any, world: Any, login: Any, text: str, message: str
) -> None:
    c = login(world.people["staff_a"])
    response = call(c, "POST", f"{base(project)}/primary-drivers", {"text": text})
    assert response.status_code == 422
    assert response.json()["detail"]["text"][0].startswith(message)
    assert not PrimaryDriver.objects.filter(project=project).exists()


def test_rename_to_nothing_is_refused(full_project: Any, world: Any, login: Any) -> None:
    c = login(world.people["staff_a"])
    idea = ChangeIdea.objects.get(project=full_project, text="Sensory room")
    response = call(c, "PATCH", f"{base(full_project)}/change-ideas/{idea.pk}", {"text": ""})
    assert response.status_code == 422
    assert response.json()["detail"] == {"text": ["Enter the change idea."]}
    idea.refresh_from_db()
    assert idea.text == "Sensory room"


def test_links_must_be_in_this_diagram(
    full_project: Any, make_project: Any, world: Any, login: Any
) -> None:
    """Unknown ids and another project's nodes get the same answer: existence stays private."""
    actor = world.people["staff_a"]
    elsewhere = make_project(title="Another ward")
    theirs = services.node_add(actor=actor, project=elsewhere, kind="primary", text="Theirs")
    their_s = services.node_add(actor=actor, project=elsewhere, kind="secondary", text="S")
    c = login(actor)
    url = base(full_project)
    mine = PrimaryDriver.objects.filter(project=full_project).first()
    assert mine is not None

    created = call(
        c,
        "POST",
        f"{url}/secondary-drivers",
        {"text": "Linked across", "primary_driver_ids": [mine.pk, theirs.pk]},
    )
    assert created.status_code == 422
    assert created.json()["detail"] == {
        "primary_driver_ids": [
            "Choose primary drivers from this project's diagram: it has no primary driver "
            f"{theirs.pk}."
        ]
    }
    unknown = call(
        c, "POST", f"{url}/secondary-drivers", {"text": "x", "primary_driver_ids": [99999999]}
    )
    assert unknown.status_code == 422 and "no primary driver 99999999" in str(unknown.json())
    assert not SecondaryDriver.objects.filter(text__in=["Linked across", "x"]).exists()

    idea = ChangeIdea.objects.get(project=full_project, text="Sensory room")
    link = call(c, "PUT", f"{url}/change-ideas/{idea.pk}/secondary-drivers/{their_s.pk}")
    assert link.status_code == 422
    assert "no secondary driver" in link.json()["detail"]["secondary_driver_ids"][0]
    patch = call(
        c, "PATCH", f"{url}/change-ideas/{idea.pk}", {"secondary_driver_ids": [their_s.pk]}
    )
    assert patch.status_code == 422
    assert not idea.secondaries.exists()
    # A node of another project is not found through this project's address.
    assert c.get(f"{url}/primary-drivers/{theirs.pk}").status_code == 404
    moved = call(c, "POST", f"{url}/primary-drivers/{theirs.pk}/move", {"direction": "up"})
    assert moved.status_code == 404
    assert call(c, "DELETE", f"{url}/primary-drivers/{theirs.pk}").status_code == 404
    assert PrimaryDriver.objects.filter(pk=theirs.pk).exists()


def test_misspelt_field_is_refused(project: Any, world: Any, login: Any) -> None:
    c = login(world.people["staff_a"])
    response = call(
        c, "POST", f"{base(project)}/secondary-drivers", {"text": "x", "primary_drivers": [1]}
    )
    assert response.status_code == 422
    assert not SecondaryDriver.objects.filter(project=project).exists()


# Who may do what, for a project shared with its organisation (so trust A's viewer reads it).
READERS = {"national_admin", "collab_lead", "faculty", "pm_a", "staff_a", "partner_a", "viewer_a"}
EDITORS = READERS - {"viewer_a"}


def test_status_by_persona(make_project: Any, world: Any, login: Any, client: Any) -> None:
    project = make_project(sharing="organisation")
    actor = world.people["staff_a"]
    p = services.node_add(actor=actor, project=project, kind="primary", text="P")
    s = services.node_add(actor=actor, project=project, kind="secondary", text="S", links=[p])
    idea = services.node_add(actor=actor, project=project, kind="idea", text="I")
    url = base(project)

    def requests() -> list[tuple[str, str, Any, int]]:
        # (method, path, body, status for an editor) — bodies are valid, so only the
        # permission decides; fresh nodes each time so that deletes succeed.
        extra = services.node_add(actor=actor, project=project, kind="primary", text="Spare")
        return [
            ("GET", f"{url}/primary-drivers", None, 200),
            ("GET", f"{url}/change-ideas/{idea.pk}", None, 200),
            ("POST", f"{url}/primary-drivers", {"text": "New"}, 201),
            ("PATCH", f"{url}/secondary-drivers/{s.pk}", {"text": "S2"}, 200),
            ("POST", f"{url}/primary-drivers/{extra.pk}/move", {"direction": "up"}, 200),
            ("PUT", f"{url}/change-ideas/{idea.pk}/secondary-drivers/{s.pk}", None, 200),
            ("DELETE", f"{url}/change-ideas/{idea.pk}/secondary-drivers/{s.pk}", None, 200),
            ("DELETE", f"{url}/primary-drivers/{extra.pk}", None, 204),
        ]

    wrong = {}
    for name in (*PERSONAS, "anonymous"):
        c = client if name == "anonymous" else login(world.people[name])
        for method, path, body, ok in requests():
            if name == "anonymous":
                expected = 401 if method != "GET" else 404
            elif method == "GET":
                expected = ok if name in READERS else 404
            else:
                expected = ok if name in EDITORS else 403 if name in READERS else 404
            response = call(c, method, path, body)
            if response.status_code != expected:
                wrong[(name, method, path)] = (response.status_code, expected)
            elif expected >= 400:
                assert response.json()["detail"], "every refusal gives a reason"
    assert wrong == {}


def test_token_edits_without_csrf(project: Any, world: Any, api_client: Any) -> None:
    c = api_client(world.people["staff_a"], "token")
    created = call(c, "POST", f"{base(project)}/primary-drivers", {"text": "By script"})
    assert created.status_code == 201, created.content
    outsider = api_client(world.people["outsider"], "token")
    assert (
        call(outsider, "POST", f"{base(project)}/primary-drivers", {"text": "x"}).status_code == 404
    )


def test_list_queries_do_not_grow(project: Any, world: Any, login: Any) -> None:
    actor = world.people["staff_a"]
    s = services.node_add(actor=actor, project=project, kind="secondary", text="S")
    services.node_add(actor=actor, project=project, kind="idea", text="I0", links=[s])
    c = login(actor)
    url = f"{base(project)}/change-ideas"
    c.get(url)
    with CaptureQueriesContext(connection) as few:
        assert len(c.get(url).json()) == 1
    for i in range(8):
        services.node_add(actor=actor, project=project, kind="idea", text=f"I{i + 1}", links=[s])
    with CaptureQueriesContext(connection) as many:
        assert len(c.get(url).json()) == 9
    assert len(many) == len(few)


def test_endpoints_are_documented(db: Any, client: Any) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    mine = {p: ops for p, ops in paths.items() if "/driver-diagram/" in p}
    assert len([op for ops in mine.values() for op in ops]) == 22
    for path, ops in mine.items():
        for method, op in ops.items():
            assert op.get("summary") and len(op.get("description", "")) > 30, (method, path)
            codes = {int(code) for code in op["responses"]}
            assert 404 in codes, (method, path)
            if method != "get":
                assert {401, 403, 404, 422} <= codes, (method, path)
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and b"openapi.json" in docs.content
