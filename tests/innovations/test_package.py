"""The change package file: export, import all-or-nothing, and specific refusals."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qicollab.innovations import package
from qicollab.innovations.models import Innovation, PackageIdea, PackageMeasure
from tests.innovations import factories as fi


def _doc(world: Any) -> dict[str, Any]:
    inn = fi.innovation(world)
    return package.export_package(inn, exported_at="2026-03-02T10:00:00+00:00")


def _import(world: Any, data: bytes, who: str = "staff_b") -> Innovation:
    return package.package_import(
        actor=world.people[who], collaborative=world.collab, organisation=world.trust_b, data=data
    )


def test_round_trip(world: Any) -> None:
    doc = _doc(world)
    assert doc["format"] == "qicollab.change-package" and doc["version"] == 1
    inn = _import(world, package.dumps(doc))
    assert inn.organisation == world.trust_b and inn.project is None
    assert list(inn.ideas.values_list("text", "primary_driver")) == [
        ("Twice-daily safety huddle", "Early recognition")
    ]
    assert inn.measures.count() == 2


def test_the_file_validates_against_the_published_schema(world: Any) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from pathlib import Path

    schema = json.loads(
        (Path(__file__).parents[2] / "docs" / "change-package.schema.json").read_text()
    )
    jsonschema.validate(_doc(world), schema)


def _refused(world: Any, doc: Any, message: str, raw: bytes | None = None) -> None:
    before = (
        Innovation.objects.count(),
        PackageIdea.objects.count(),
        PackageMeasure.objects.count(),
    )
    with pytest.raises(package.PackageError) as exc:
        _import(world, raw if raw is not None else package.dumps(doc))
    assert any(message in m for m in exc.value.errors["file"]), exc.value.errors
    after = (
        Innovation.objects.count(),
        PackageIdea.objects.count(),
        PackageMeasure.objects.count(),
    )
    assert before == after


def test_missing_field_refused(world: Any) -> None:
    doc = _doc(world)
    del doc["measures"][0]["frequency"]
    _refused(world, doc, "measures[0] is missing: frequency")


def test_extra_field_refused(world: Any) -> None:
    doc = _doc(world)
    doc["innovation"]["colour"] = "blue"
    _refused(world, doc, "innovation has fields this version does not know: colour")


def test_wrong_version_refused(world: Any) -> None:
    doc = _doc(world)
    doc["version"] = 2
    _refused(world, doc, "version 2; this installation reads version 1")


def test_unknown_measure_type_refused(world: Any) -> None:
    doc = _doc(world)
    doc["measures"][1]["measure_type"] = "structure"
    doc["ideas"][0]["text"] = "still fine"
    _refused(world, doc, "measures[1].measure_type: unknown measure type 'structure'")


def test_oversized_file_refused(world: Any) -> None:
    _refused(
        world, None, "a change package can be up to 1024 KB", raw=b" " * (package.MAX_BYTES + 1)
    )


def test_not_json_refused(world: Any) -> None:
    _refused(world, None, "not valid JSON", raw=b"\xff\xfe")


def test_import_page_lists_every_problem(world: Any, login: Any) -> None:
    doc = _doc(world)
    doc["version"] = 1
    doc["measures"][0]["value_type"] = "vibes"
    doc["extra"] = True
    c = login(world.people["staff_b"])
    url = f"/collaboratives/{world.collab.slug}/innovations/import/"
    upload = SimpleUploadedFile("p.json", package.dumps(doc), content_type="application/json")
    r = c.post(url, {"organisation": world.trust_b.pk, "file": upload})
    assert r.status_code == 400
    assert "The file has fields this version does not know: extra" in r.content.decode()
    good = SimpleUploadedFile("p.json", package.dumps(_doc(world)), content_type="application/json")
    assert c.post(url, {"organisation": world.trust_b.pk, "file": good}).status_code == 302
    assert login(world.people["viewer_a"]).get(url).status_code == 403
    # The collaborative is public: an outsider sees it but may not import into it.
    assert login(world.people["outsider"]).get(url).status_code == 403


def test_published_schema_names_exactly_the_fields_the_code_reads() -> None:
    """Without ``jsonschema`` installed, check the schema and the reader agree field by field."""
    from pathlib import Path

    from qicollab.innovations.services import DEFINITION_FIELDS
    from qicollab.measures.models import ChartType, MeasureType, ValueType

    schema = json.loads(
        (Path(__file__).parents[2] / "docs" / "change-package.schema.json").read_text()
    )
    props = schema["properties"]
    assert schema["required"] == list(package.TOP_FIELDS)
    assert props["version"]["const"] == package.VERSION
    assert props["source"]["required"] == list(package.SOURCE_FIELDS)
    assert props["innovation"]["required"] == list(package.INNOVATION_FIELDS)
    assert props["ideas"]["items"]["required"] == list(package.IDEA_FIELDS)
    measure = props["measures"]["items"]
    assert measure["required"] == list(DEFINITION_FIELDS)
    assert measure["properties"]["measure_type"]["enum"] == MeasureType.values
    assert measure["properties"]["value_type"]["enum"] == ValueType.values
    assert measure["properties"]["chart_type"]["enum"] == ChartType.values
    assert all(
        part.get("additionalProperties") is False
        for part in (schema, props["source"], props["innovation"], props["ideas"]["items"], measure)
    )
