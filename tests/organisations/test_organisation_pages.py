"""Organisation pages: adding, duplicate ODS codes, who sees unattached organisations."""

from __future__ import annotations

import re
from typing import Any

import pytest

from qicollab.organisations.models import Organisation
from tests import factories as f

pytestmark = pytest.mark.django_db

NEW_TRUST = {
    "name": "Newfield Care NHS Trust",
    "org_type": "nhs_trust",
    "ods_code": "rn9",
    "region": "sw",
    "website": "",
    "description": "",
}


def test_national_admin_adds_an_organisation_and_can_open_it(world: Any, login: Any) -> None:
    client = login(world.people["national_admin"])
    response = client.post("/organisations/new/", NEW_TRUST, follow=True)
    assert response.status_code == 200
    org = Organisation.objects.get(name="Newfield Care NHS Trust")
    assert org.ods_code == "RN9"  # upper-cased
    assert response.redirect_chain[-1][0] == org.get_absolute_url()
    assert org.history.first().history_user == world.people["national_admin"]


def test_duplicate_ods_code_is_refused_on_the_field_and_the_typed_values_kept(
    world: Any, login: Any
) -> None:
    client = login(world.people["national_admin"])
    data = {**NEW_TRUST, "ods_code": world.trust_a.ods_code}
    response = client.post("/organisations/new/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Another organisation already has this ODS code" in html
    assert "Constraint" not in html
    assert 'value="Newfield Care NHS Trust"' in html
    assert "nhsuk-error-summary" in html
    assert html.count("Enter the trust") == 0


def test_lead_sees_organisations_not_yet_in_a_collaborative_faculty_does_not(
    world: Any, login: Any
) -> None:
    prospective = f.OrganisationFactory(
        name="Prospective Hospice", org_type="voluntary", ods_code=""
    )
    lead = login(world.people["collab_lead"]).get(prospective.get_absolute_url())
    faculty = login(world.people["faculty"]).get(prospective.get_absolute_url())
    assert lead.status_code == 200
    assert faculty.status_code == 404
    # An organisation in another collaborative stays private to leads.
    assert (
        login(world.people["collab_lead"]).get(world.trust_o.get_absolute_url()).status_code == 404
    )


def test_national_admin_sees_every_organisation_but_not_other_staff_lists(
    world: Any, login: Any
) -> None:
    response = login(world.people["national_admin"]).get(world.trust_o.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h2>People</h2>" not in html
    assert world.people["pm_o"].email not in html


def test_organisation_type_radios_have_no_placeholder(world: Any, login: Any) -> None:
    html = login(world.people["national_admin"]).get("/organisations/new/").content.decode()
    assert "---------" not in html


def _version(html: str) -> str:
    match = re.search(r'name="loaded_version" id="[^"]*" value="([^"]*)"', html)
    assert match, "the edit form carries its version"
    return match.group(1)


def test_concurrent_edit_is_detected_and_nothing_is_lost(world: Any, login: Any) -> None:
    org = world.trust_a
    url = f"/organisations/{org.slug}/edit/"
    stale = _version(login(world.people["pm_a"]).get(url).content.decode())
    other = login(world.people["national_admin"])
    fields = {
        "org_type": org.org_type,
        "ods_code": org.ods_code,
        "region": org.region,
        "short_name": "",
        "website": "",
        "description": "",
    }
    first = other.post(url, {**fields, "name": "Renamed by the admin", "loaded_version": stale})
    assert first.status_code == 302
    mine = login(world.people["pm_a"])
    second = mine.post(url, {**fields, "name": "Renamed by the PM", "loaded_version": stale})
    html = second.content.decode()
    assert second.status_code == 200
    assert "Someone else saved changes to this organisation" in html
    assert "Renamed by the admin" in html  # their version, in the conflict panel
    assert 'value="Renamed by the PM"' in html  # my edit, still in the form
    org.refresh_from_db()
    assert org.name == "Renamed by the admin"
    # Saving again, having seen their version, keeps mine on purpose.
    fresh = _version(html)
    assert fresh != stale
    third = mine.post(url, {**fields, "name": "Renamed by the PM", "loaded_version": fresh})
    assert third.status_code == 302
    org.refresh_from_db()
    assert org.name == "Renamed by the PM"
