"""One test per cause the API fuzzing found: every bad request gets a 4xx with a reason,
and the schema documents what the API really answers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from ninja import Schema

from qicollab.api.api import api
from qicollab.api.schemas import MAX_INT, FieldErrorsOut
from qicollab.core.services import version_token
from qicollab.measures.models import Measure
from qicollab.projects import services as project_services
from qicollab.projects.models import Project
from tests.api.conftest import call

pytestmark = pytest.mark.django_db

NUL = "Ward\x00 A"
SURROGATE = "Ward \ud800 A"


@pytest.fixture
def project(world: Any) -> Project:
    return project_services.project_create(
        actor=world.people["staff_a"],
        collaborative=world.collab,
        lead_organisation=world.trust_a,
        title="Safer observations on Willow ward",
        sharing="private",
    )


@pytest.fixture
def measure(project: Project, world: Any) -> Measure:
    from qicollab.measures import services

    return services.measure_create(
        actor=world.people["staff_a"],
        project=project,
        data={"name": "Falls per 1,000 bed days", "value_type": "count", "chart_type": "c"},
    )


@pytest.fixture
def staff_a(world: Any, api_client: Callable[..., Client]) -> Client:
    return api_client(world.people["staff_a"], auth="token")


def _schema_errors(response: Any) -> list[dict[str, Any]]:
    """The 422 body, checked against the documented error schema."""
    assert response.status_code == 422, response.content
    body = FieldErrorsOut.model_validate(response.json())
    assert isinstance(body.detail, list)
    return response.json()["detail"]  # type: ignore[no-any-return]


# --- null where a list is expected (was 500) ---------------------------------------------


@pytest.mark.parametrize("field", ["tags", "themes", "partner_organisations"])
def test_null_list_in_a_project_patch_is_refused(
    field: str, project: Project, staff_a: Client
) -> None:
    body = {field: None, "version": version_token(project)}
    errors = _schema_errors(call(staff_a, "PATCH", f"/api/projects/{project.slug}", body))
    assert errors[0]["loc"][-1] == field
    assert "null is not allowed" in errors[0]["msg"]


# --- integers the database cannot hold (was 500) ----------------------------------------


def test_a_measure_id_beyond_64_bits_in_a_bulk_push_is_refused(
    measure: Measure, staff_a: Client
) -> None:
    points = [{"measure": 2**63, "period": "2024-01-01", "value": 1}]
    response = call(staff_a, "POST", "/api/measures/points/bulk", {"points": points})
    assert response.status_code == 422
    assert "'measure' must be a measure id" in response.json()["detail"]


@pytest.mark.parametrize("bad", [{}, [], "3", True])
def test_a_measure_id_of_the_wrong_type_in_a_bulk_push_is_refused(
    bad: Any, measure: Measure, staff_a: Client
) -> None:
    points = [{"measure": bad, "period": "2024-01-01", "value": 1}]
    response = call(staff_a, "POST", "/api/measures/points/bulk", {"points": points})
    assert response.status_code == 422
    assert "Point 0" in response.json()["detail"]


def test_ids_beyond_64_bits_in_a_body_are_refused(project: Project, staff_a: Client) -> None:
    body = {"person_id": 2**64, "role": "member"}
    errors = _schema_errors(call(staff_a, "POST", f"/api/projects/{project.slug}/team", body))
    assert str(MAX_INT) in errors[0]["msg"]


def test_ids_beyond_64_bits_in_a_path_are_not_found(staff_a: Client) -> None:
    response = staff_a.get(f"/api/measures/{2**64}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


# --- a period that is not text (was 500) -------------------------------------------------


@pytest.mark.parametrize("period", [[], {}, None, 20240101])
def test_a_period_of_the_wrong_shape_is_refused(
    period: Any, measure: Measure, staff_a: Client
) -> None:
    for method, path, point in (
        ("PUT", f"/api/measures/{measure.pk}/points", {"period": period, "value": 1}),
        (
            "POST",
            "/api/measures/points/bulk",
            {"measure": measure.pk, "period": period, "value": 1},
        ),
    ):
        response = call(staff_a, method, path, {"points": [point]})
        assert response.status_code == 422, (method, response.content)
        assert "'period' must be a date as text" in response.json()["detail"]


# --- strict booleans ({"dry_run": {}} was accepted) --------------------------------------


@pytest.mark.parametrize("dry_run", [{}, "false", 0, None])
def test_dry_run_must_be_true_or_false(dry_run: Any, measure: Measure, staff_a: Client) -> None:
    points = [{"period": "2024-01-01", "value": 1}]
    response = call(
        staff_a,
        "PUT",
        f"/api/measures/{measure.pk}/points",
        {"points": points, "dry_run": dry_run},
    )
    assert response.status_code == 422
    assert "'dry_run' must be true or false" in response.json()["detail"]
    assert not measure.points.exists()


@pytest.mark.parametrize("flag", [{}, "yes", 1])
def test_boolean_fields_in_bodies_take_only_true_or_false(
    flag: Any, project: Project, staff_a: Client
) -> None:
    body = {"name": "Falls", "is_main_outcome": flag}
    errors = _schema_errors(call(staff_a, "POST", f"/api/projects/{project.slug}/measures", body))
    assert errors[0]["loc"][-1] == "is_main_outcome"
    assert "Send true or false" in errors[0]["msg"]


def test_a_date_sent_as_a_number_is_refused(project: Project, staff_a: Client) -> None:
    # pydantic alone reads 0 as 1 January 1970.
    body = {"statement": "Fewer falls", "target_date": 0}
    errors = _schema_errors(call(staff_a, "POST", f"/api/projects/{project.slug}/aim/check", body))
    assert errors[0]["loc"][-1] == "target_date"
    assert "YYYY-MM-DD" in errors[0]["msg"]


def test_page_numbers_beyond_any_list_are_refused(staff_a: Client) -> None:
    # A page of 2^71 made the database's row offset overflow (answered 409 or 500).
    errors = _schema_errors(staff_a.get("/api/people", {"page": str(2**71)}))
    assert errors[0]["loc"] == ["query", "page"]
    assert staff_a.get("/api/people", {"page": "1000"}).status_code == 200


# --- NUL bytes and lone surrogates (was 500) ---------------------------------------------


@pytest.mark.parametrize("text", [NUL, SURROGATE])
def test_unstorable_text_in_a_body_is_refused_with_its_location(
    text: str, world: Any, api_client: Callable[..., Client]
) -> None:
    client = api_client(world.people["pm_a"], auth="token")
    path = f"/api/organisations/{world.trust_a.slug}"
    body = {"description": "fine", "name": text}
    errors = _schema_errors(call(client, "PATCH", path, body))
    assert errors == [{"loc": ["body", "name"], "msg": errors[0]["msg"], "type": "unsafe_text"}]
    assert ("null character" if "\x00" in text else "half of a character pair") in errors[0]["msg"]
    world.trust_a.refresh_from_db()
    assert world.trust_a.name != text


def test_unstorable_text_in_a_bulk_push_is_refused(measure: Measure, staff_a: Client) -> None:
    points = [{"period": "2024-01-01", "value": 1, "note": SURROGATE}]
    errors = _schema_errors(
        call(staff_a, "PUT", f"/api/measures/{measure.pk}/points", {"points": points})
    )
    assert errors[0]["loc"] == ["body", "points", 0, "note"]


def test_unstorable_text_in_a_query_or_path_is_refused(staff_a: Client) -> None:
    errors = _schema_errors(staff_a.get("/api/organisations", {"q": NUL}))
    assert errors[0]["loc"] == ["query", "q"]
    assert staff_a.get("/api/projects/ward%00a").status_code == 404


# --- the schema tells the truth ----------------------------------------------------------


def _subclasses(cls: type[Any]) -> Iterator[type[Any]]:
    sub: type[Any]
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_schema_names_are_unique() -> None:
    """Two schemas with one name share one entry in the OpenAPI document, so one of them
    (PointOut of measures and of goals) was documented with the other's shape."""
    modules: dict[str, set[str]] = defaultdict(set)
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("qicollab."):
            modules[cls.__name__].add(cls.__module__)
    assert {name: mods for name, mods in modules.items() if len(mods) > 1} == {}


def test_points_and_principles_are_documented_as_returned() -> None:
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    points = schema["paths"]["/api/measures/{pk}/points"]["get"]["responses"][200]
    ref = points["content"]["application/json"]["schema"]["items"]["$ref"].split("/")[-1]
    assert set(components[ref]["properties"]) == {
        "period",
        "value",
        "numerator",
        "denominator",
        "note",
    }
    detail = schema["paths"]["/api/collaboratives/{slug}"]["get"]["responses"][200]
    detail_ref = detail["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    theme_ref = components[detail_ref]["properties"]["themes"]["items"]["$ref"].split("/")[-1]
    assert components[theme_ref]["properties"]["principles"]["items"] == {"type": "string"}


def test_every_operation_documents_its_errors_with_one_422_shape() -> None:
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {401, 403, 404, 422} <= set(responses), (method, path)
            shape = responses[422]["content"]["application/json"]["schema"]
            # A bulk push documents its own richer 422 (per-point errors).
            assert shape.get("$ref", "").endswith("/FieldErrorsOut") or path.endswith(
                ("/points", "/points/bulk")
            ), (method, path)
            if method in {"patch", "put"}:
                assert 428 in responses, (method, path)


def test_a_422_for_a_bad_query_matches_the_documented_shape(staff_a: Client) -> None:
    errors = _schema_errors(staff_a.get("/api/people", {"page": "first"}))
    assert errors[0]["loc"][0] == "query"


# --- a PATCH or PUT must name the version it is based on ---------------------------------


def test_patch_without_a_version_is_428_with_a_reason(project: Project, staff_a: Client) -> None:
    response = staff_a.patch(
        f"/api/projects/{project.slug}", {"summary": "x"}, content_type="application/json"
    )
    assert response.status_code == 428
    assert "Send the `version` you read" in response.json()["detail"]
    project.refresh_from_db()
    assert project.summary != "x"


def test_the_version_can_come_in_an_if_match_header(project: Project, staff_a: Client) -> None:
    url = f"/api/projects/{project.slug}"
    version = staff_a.get(url).json()["version"]
    ok = staff_a.patch(
        url, {"summary": "first"}, content_type="application/json", headers={"If-Match": version}
    )
    assert ok.status_code == 200, ok.content
    stale = staff_a.patch(
        url,
        {"summary": "second"},
        content_type="application/json",
        headers={"If-Match": f'W/"{version}"'},
    )
    assert stale.status_code == 409
    project.refresh_from_db()
    assert project.summary == "first"


@pytest.mark.parametrize(
    "path",
    [
        "/api/organisations/{org}",
        "/api/collaboratives/{collab}",
        "/api/projects/{project}",
        "/api/measures/{measure}",
    ],
)
def test_every_versioned_patch_requires_the_version(
    path: str, project: Project, measure: Measure, world: Any, api_client: Callable[..., Client]
) -> None:
    url = path.format(
        org=world.trust_a.slug,
        collab=world.collab.slug,
        project=project.slug,
        measure=measure.pk,
    )
    who = {"organisations": "pm_a", "collaboratives": "collab_lead"}.get(
        url.split("/")[2], "staff_a"
    )
    client = api_client(world.people[who], auth="token")
    field = {"measures": "unit"}.get(url.split("/")[2], "short_name")
    field = "summary" if "/projects/" in url else field
    response = client.patch(url, {field: "x"}, content_type="application/json")
    assert response.status_code == 428, (url, response.content)


def test_aim_and_driver_puts_and_patches_require_the_version(
    project: Project, staff_a: Client, world: Any
) -> None:
    base = f"/api/projects/{project.slug}"
    refused = staff_a.put(f"{base}/aim", {"statement": "x"}, content_type="application/json")
    assert refused.status_code == 428
    version = staff_a.get(f"{base}/aim").json()["version"]
    body = {"statement": "Fewer falls", "version": version}
    assert staff_a.put(f"{base}/aim", body, content_type="application/json").status_code == 200
    node = project_services.node_add(
        actor=world.people["staff_a"], project=project, kind="primary", text="Safe ward"
    )
    patched = staff_a.patch(
        f"{base}/driver-diagram/primary-drivers/{node.pk}",
        {"text": "Safer ward"},
        content_type="application/json",
    )
    assert patched.status_code == 428
