"""The measures API: CRUD, points, charts, decisions and all-or-nothing bulk pushes."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from qicollab.accounts.models import ApiToken, hash_token
from qicollab.measures.models import ChartEvent, DataPoint, Measure
from tests.measures.conftest import fill

pytestmark = pytest.mark.django_db


def token_client(person: Any) -> Client:
    raw = ApiToken.PREFIX + "measures-test-token-" + str(person.pk)
    ApiToken.objects.create(
        person=person, name="test", key_prefix=raw[:12], key_hash=hash_token(raw)
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def send(client: Client, method: str, path: str, body: Any = None) -> Any:
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json")


def test_read_permissions_follow_the_project(count_measure: Measure, world: Any) -> None:
    fill(count_measure, world.people["staff_a"], [3, 4, 5])
    base = f"/api/measures/{count_measure.pk}"
    for persona in ("staff_a", "partner_a", "pm_a", "faculty"):
        client = token_client(world.people[persona])
        assert client.get(base).status_code == 200
        assert [p["value"] for p in client.get(base + "/points").json()] == [3, 4, 5]
    for persona in ("viewer_a", "staff_b", "pm_o", "outsider"):
        client = token_client(world.people[persona])
        assert client.get(base).status_code == 404
        assert client.get(base + "/points").status_code == 404
        assert client.get(base + "/chart").status_code == 404
        ids = [m["id"] for m in client.get("/api/measures").json()]
        assert count_measure.pk not in ids
    assert Client().get(base).status_code == 404  # anonymous: a private project is invisible


def test_create_and_update_with_the_pages_validation(project: Any, world: Any) -> None:
    client = token_client(world.people["staff_a"])
    bad = send(
        client,
        "post",
        f"/api/projects/{project.slug}/measures",
        {"name": "Checks", "value_type": "percentage", "chart_type": "c"},
    )
    assert bad.status_code == 422
    assert "chart_type" in bad.json()["detail"] and "denominator_definition" in bad.json()["detail"]
    created = send(
        client,
        "post",
        f"/api/projects/{project.slug}/measures",
        {
            "name": "Checks",
            "value_type": "percentage",
            "denominator_definition": "Patients audited",
            "target": 90,
        },
    )
    assert created.status_code == 201
    body = created.json()
    assert body["chart_type"] == "p" and body["target"] == 90
    patched = send(
        client,
        "patch",
        f"/api/measures/{body['id']}",
        {"target": 95, "loaded_version": body["version"]},
    )
    assert patched.status_code == 200 and patched.json()["target"] == 95
    stale = send(
        client,
        "patch",
        f"/api/measures/{body['id']}",
        {"target": 80, "loaded_version": body["version"]},
    )
    assert stale.status_code == 409 and stale.json()["current"]["target"] == 95
    viewer = token_client(world.people["viewer_a"])
    assert (
        send(viewer, "post", f"/api/projects/{project.slug}/measures", {"name": "x"}).status_code
        == 404
    )


def test_readers_cannot_write(make_project: Any, make_measure: Any, world: Any) -> None:
    project = make_project(sharing="collaborative", title="Shared")
    measure = make_measure(project=project, name="Shared measure")
    client = token_client(world.people["staff_b"])
    assert client.get(f"/api/measures/{measure.pk}").status_code == 200
    assert send(client, "patch", f"/api/measures/{measure.pk}", {"name": "x"}).status_code == 403
    assert (
        send(
            client,
            "put",
            f"/api/measures/{measure.pk}/points",
            {"points": [{"period": "2025-01-01", "value": 1}]},
        ).status_code
        == 403
    )
    assert client.delete(f"/api/measures/{measure.pk}").status_code == 403
    bulk = send(
        client,
        "post",
        "/api/measures/points/bulk",
        {"points": [{"measure": measure.pk, "period": "2025-01-01", "value": 1}]},
    )
    assert bulk.status_code == 422
    assert "cannot change it" in bulk.json()["errors"][0]["message"]
    assert not DataPoint.objects.exists()


def test_push_points_is_all_or_nothing(pct_measure: Measure, world: Any) -> None:
    client = token_client(world.people["staff_a"])
    points = [
        {"period": f"2024-{m:02d}-01", "numerator": m, "denominator": 20} for m in range(1, 13)
    ]
    points[7] = {"period": "2024-08-01", "numerator": 30, "denominator": 20}
    response = send(client, "put", f"/api/measures/{pct_measure.pk}/points", {"points": points})
    assert response.status_code == 422
    body = response.json()
    assert body["error_count"] == 1
    assert body["errors"][0] | {} == {
        "index": 7,
        "measure": pct_measure.pk,
        "period": "2024-08-01",
        "field": "numerator",
        "message": "The numerator (30) is greater than the denominator (20); a proportion cannot "
        "be more than 100%.",
    }
    assert not DataPoint.objects.filter(measure=pct_measure).exists()
    points[7] = {"period": "2024-08-01", "numerator": 8, "denominator": 20}
    dry = send(
        client, "put", f"/api/measures/{pct_measure.pk}/points", {"points": points, "dry_run": True}
    )
    assert dry.json() == {"created": 12, "updated": 0, "unchanged": 0, "dry_run": True}
    assert not DataPoint.objects.filter(measure=pct_measure).exists()
    ok = send(client, "put", f"/api/measures/{pct_measure.pk}/points", {"points": points})
    assert ok.status_code == 200 and ok.json()["created"] == 12
    points[0]["numerator"] = 2
    again = send(client, "put", f"/api/measures/{pct_measure.pk}/points", {"points": points})
    assert again.json() == {"created": 0, "updated": 1, "unchanged": 11, "dry_run": False}
    point = DataPoint.objects.get(measure=pct_measure, period=dt.date(2024, 1, 1))
    assert point.numerator == 2 and point.history.first().history_user == world.people["staff_a"]  # type: ignore[union-attr]


def test_bulk_push_reports_each_kind_of_problem(
    count_measure: Measure, pct_measure: Measure, world: Any
) -> None:
    client = token_client(world.people["staff_a"])
    points = [
        {"measure": count_measure.pk, "period": "2024-01-01", "value": 3},
        {"measure": count_measure.pk, "period": "2024-01-15", "value": 4},  # same month
        {"measure": count_measure.pk, "period": "January", "value": 4},
        {"measure": count_measure.pk, "period": "2024-03-01", "value": "four"},
        {"measure": count_measure.pk, "period": "2024-04-01", "value": -1},
        {"measure": pct_measure.pk, "period": "2024-01-01", "value": 50},
        {"measure": pct_measure.pk, "period": "2024-02-01", "numerator": 5},
        {"measure": 999999, "period": "2024-01-01", "value": 1},
    ]
    response = send(client, "post", "/api/measures/points/bulk", {"points": points})
    errors = response.json()["errors"]
    assert response.status_code == 422
    assert [e["index"] for e in errors] == [1, 2, 3, 4, 5, 6, 7]
    assert "already at index 0" in errors[0]["message"]
    assert "not a date" in errors[1]["message"]
    assert "not a number" in errors[2]["message"]
    assert "negative" in errors[3]["message"]
    assert "not a value" in errors[4]["message"]
    assert "denominator is missing" in errors[5]["message"]
    assert not DataPoint.objects.exists()


def test_bulk_push_rejects_bad_bodies(count_measure: Measure, world: Any) -> None:
    client = token_client(world.people["staff_a"])
    bad_json = client.post(
        "/api/measures/points/bulk", data="{not json", content_type="application/json"
    )
    assert bad_json.status_code == 400
    assert send(client, "post", "/api/measures/points/bulk", {"points": "x"}).status_code == 422
    assert send(client, "post", "/api/measures/points/bulk", {"points": [1, 2]}).status_code == 422
    other = send(
        client,
        "put",
        f"/api/measures/{count_measure.pk}/points",
        {"points": [{"measure": count_measure.pk + 1, "period": "2024-01-01", "value": 1}]},
    )
    assert other.status_code == 422


def test_session_writes_need_the_csrf_token(count_measure: Measure, world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people["staff_a"], backend="django.contrib.auth.backends.ModelBackend")
    response = send(
        client,
        "put",
        f"/api/measures/{count_measure.pk}/points",
        {"points": [{"period": "2024-01-01", "value": 1}]},
    )
    # signed in, so not 401: a session write without the token is forbidden
    assert response.status_code == 403
    assert not DataPoint.objects.exists()


def test_chart_and_decisions(count_measure: Measure, world: Any) -> None:
    fill(
        count_measure,
        world.people["staff_a"],
        [5, 7, 6, 8, 6, 7, 5, 6, 7, 6, 8, 7, 2, 1, 2, 1, 2, 1, 2],
    )
    client = token_client(world.people["staff_a"])
    chart = client.get(f"/api/measures/{count_measure.pk}/chart?spec=true").json()
    assert chart["chart_type"] == "c" and chart["variation_icon"] == "improvement_low"
    assert chart["summary"].startswith("Special cause improvement: 7 points below the mean")
    assert len(chart["result"]["points"]) == 19 and chart["spec"]["layer"]
    added = send(
        client,
        "post",
        f"/api/measures/{count_measure.pk}/events",
        {"kind": "rebase", "on": "2024-01-01", "reason": "Huddles"},
    )
    assert added.status_code == 201
    rebased = client.get(f"/api/measures/{count_measure.pk}/chart").json()
    assert {p["phase"] for p in rebased["result"]["points"]} == {0, 1}
    missing_reason = send(
        client,
        "post",
        f"/api/measures/{count_measure.pk}/events",
        {"kind": "exclude", "on": "2023-02-01"},
    )
    assert missing_reason.status_code == 422
    event = ChartEvent.objects.get()
    assert client.delete(f"/api/measures/{count_measure.pk}/events/{event.pk}").status_code == 204
    assert not ChartEvent.objects.exists()


def test_public_project_measures_are_readable_anonymously(
    make_project: Any, make_measure: Any, world: Any
) -> None:
    project = make_project(sharing="public", title="Public")
    measure = make_measure(project=project, name="Open data")
    fill(measure, world.people["staff_a"], [1, 2, 3])
    anon = Client()
    assert anon.get(f"/api/projects/{project.slug}/measures").json()[0]["name"] == "Open data"
    assert len(anon.get(f"/api/measures/{measure.pk}/points").json()) == 3
    assert (
        send(anon, "put", f"/api/measures/{measure.pk}/points", {"points": []}).status_code == 401
    )
