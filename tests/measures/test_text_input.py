"""Text that cannot be stored (NUL, lone surrogates) is refused where it arrives: the pages'
forms, the data-entry grid and the API's pushes, with a message and nothing saved."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from qicollab.measures.models import DataPoint, Measure
from tests.measures.test_api import token_client

pytestmark = pytest.mark.django_db

NUL = "contains a null character (U+0000), which cannot be saved"


def test_a_page_form_shows_the_message_and_saves_nothing(
    project: Any, world: Any, login: Any
) -> None:
    response = login(world.people["staff_a"]).post(
        reverse("measures:measure_create", args=[project.slug]),
        {
            "name": "Falls\x00",
            "measure_type": "outcome",
            "value_type": "count",
            "frequency": "monthly",
            "week_start": "0",
            "rate_multiplier": "1",
            "direction": "decrease",
        },
    )
    assert response.status_code == 200 and NUL in response.content.decode()
    assert not Measure.objects.filter(project=project).exists()


def test_the_grid_refuses_a_null_character_in_a_note(
    count_measure: Measure, world: Any, login: Any
) -> None:
    key = "2025-03-01"
    cell = reverse("measures:data_cell", args=[count_measure.project.slug, count_measure.pk, key])
    body = (
        login(world.people["staff_a"])
        .post(cell, {f"value-{key}": "3", f"note-{key}": "Ward\x00closed"}, HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert "Not saved" in body and "The note " + NUL in body
    assert not DataPoint.objects.filter(measure=count_measure).exists()


@pytest.mark.parametrize(
    ("note", "expected"), [("Ward\x00closed", "null character"), ("caf\udce9", "U+DCE9")]
)
def test_the_api_refuses_unstorable_notes(
    count_measure: Measure, world: Any, note: str, expected: str
) -> None:
    client = token_client(world.people["staff_a"])
    # json.dumps escapes both as \\u0000 and \\udce9, as a client's JSON would.
    body = json.dumps({"points": [{"period": "2025-01-01", "value": 1, "note": note}]})
    response = client.put(
        f"/api/measures/{count_measure.pk}/points", data=body, content_type="application/json"
    )
    # Refused by the API's one check on every string it receives (api/schemas.py), in the
    # API's 422 shape: where the text is, and the same words as the forms use.
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "points", 0, "note"] and expected in error["msg"]
    assert not DataPoint.objects.filter(measure=count_measure).exists()
