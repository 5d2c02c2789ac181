"""A case reference is checked with the de-identification rules of shared summaries (issue 11).

A person's name was accepted as a "case reference"; now the form, the service and the API
refuse it and say why.
"""

from __future__ import annotations

import json
from html import unescape
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from qicollab.deaths import deid, services
from qicollab.deaths.models import Death
from tests.deaths.conftest import CASE_DEFAULTS, make_case
from tests.deaths.test_api import CASE, _bearer, _post


@pytest.mark.parametrize(
    ("reference", "why"),
    [
        ("John Smith", "looks like a person's name"),
        ("Smith, J", "looks like a person's name"),
        ("Mrs O'Brien", "looks like a person's name"),
        ("9434765919", "looks like an NHS number"),
        ("LfD 12/03/2025", "looks like a full date"),
        ("BS8 1TH", "looks like a postcode"),
    ],
)
def test_identifying_references_are_refused_with_the_reason(reference: str, why: str) -> None:
    problem = deid.reference_problem(reference)
    assert why in problem and reference.split()[-1] in problem


@pytest.mark.parametrize("reference", ["LfD-RA1-25Q1-014", "2025/014", "Case 12", "M-045"])
def test_ordinary_codes_pass(reference: str) -> None:
    assert deid.reference_problem(reference) == ""


def test_service_refuses_a_name_on_create_and_edit(teams: Any) -> None:
    with pytest.raises(ValidationError, match="looks like a person's name"):
        make_case(teams, case_reference="Ada Lovelace")
    death = make_case(teams, case_reference="LfD-7")
    services.case_name_add(
        actor=teams.people["staff_a"], death=death, name="Grace Hopper", role="patient"
    )
    with pytest.raises(ValidationError, match="a name recorded in the case"):
        services.case_update(
            actor=teams.people["staff_a"], death=death, data={"case_reference": "Hopper-7"}
        )


def test_form_says_why_the_reference_was_refused(teams: Any, login: Any) -> None:
    client = login(teams.people["staff_a"])
    data = {**{k: str(v) for k, v in CASE_DEFAULTS.items()}, "case_reference": "John Smith"}
    r = client.post(reverse("deaths:case_create", args=[teams.trust_a.slug]), data)
    assert r.status_code == 200
    html = unescape(r.content.decode())
    assert "“John Smith” looks like a person's name" in html
    assert not Death.objects.filter(case_reference="John Smith").exists()


def test_api_refuses_a_name_with_422_and_the_reason(teams: Any) -> None:
    client = _bearer(teams.people["staff_a"])
    r = _post(client, teams.trust_a.slug, {**CASE, "case_reference": "John Smith"})
    assert r.status_code == 422
    assert "looks like a person's name" in json.dumps(r.json(), ensure_ascii=False)
