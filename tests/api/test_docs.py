"""The OpenAPI document and the interactive docs render, and every operation explains itself."""

from __future__ import annotations

from typing import Any

from django.test import Client

from qicollab.api.api import api

# The routers built with this test; other apps' routers bring their own checks.
MINE = {"people", "organisations", "collaboratives"}


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, op)
        for path, ops in api.get_openapi_schema()["paths"].items()
        for method, op in ops.items()
        if set(op.get("tags", ())) & MINE
    ]


def test_openapi_json_renders_for_anyone(db: Any) -> None:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "qicollab API"
    assert "/api/organisations/{slug}" in schema["paths"]


def test_every_operation_has_a_summary_and_a_description() -> None:
    operations = _operations()
    assert len(operations) == 14
    for path, method, op in operations:
        assert op.get("summary"), (method, path)
        assert len(op.get("description", "")) > 40, (method, path)


def test_every_operation_documents_its_refusals() -> None:
    for path, method, op in _operations():
        codes = {int(code) for code in op["responses"]}
        assert 401 in codes or 404 in codes, (method, path)
        if method in ("post", "patch"):
            assert {401, 403, 404, 422} <= codes, (method, path)


def test_schema_names_no_secret_fields() -> None:
    text = str(api.get_openapi_schema()["components"])
    for secret in ("password", "key_hash", "token_hash", "is_superuser", "is_staff"):
        assert secret not in text


def test_docs_page_renders_from_our_own_static_files(db: Any) -> None:
    response = Client().get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "cdn.jsdelivr.net" not in html  # the CSP allows scripts from this site only
    assert "<script>" not in html  # no inline script either
    bundle = html.split('src="')[1].split('"')[0]
    assert Client().get(bundle).status_code == 200
