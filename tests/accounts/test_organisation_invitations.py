"""A collaborative lead invites an organisation through its programme manager."""

from __future__ import annotations

from html import unescape
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from qicollab.accounts.models import Invitation, Person
from qicollab.organisations.models import Affiliation, CollaborativeMembership, Organisation
from tests.accounts.helpers import last_email, link_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "lantern-orchard-velvet-42"
DETAILS = {
    "name": "Cedar Test Partnership NHS Foundation Trust",
    "org_type": "nhs_trust",
    "ods_code": "rc1",
    "region": "sw",
    "full_name": "Cara Cedar",
    "email": "cara@cedar.example.nhs.uk",
}


def _url(world: Any) -> str:
    return reverse("accounts:organisation_invitation_create", args=[world.collab.slug])


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("collab_lead", 200),
        ("national_admin", 200),
        ("faculty", 403),
        ("pm_a", 403),
        ("staff_a", 403),
        ("pm_o", 403),  # the collaborative is public, so visible, but not theirs to manage
        ("outsider", 403),
    ],
)
def test_who_may_invite_organisations(world: Any, login: Any, persona: str, status: int) -> None:
    assert login(world.people[persona]).get(_url(world)).status_code == status


def test_private_collaborative_is_not_found_for_outsiders(world: Any, login: Any) -> None:
    url = reverse("accounts:organisation_invitation_create", args=[world.other_collab.slug])
    assert login(world.people["outsider"]).get(url).status_code == 404
    assert login(world.people["collab_lead"]).get(url).status_code == 404


def test_lead_invites_a_new_organisation_and_acceptance_creates_it(world: Any, login: Any) -> None:
    lead = login(world.people["collab_lead"])
    response = lead.post(_url(world), DETAILS)
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.kind == "organisation"
    assert invitation.organisation is None
    assert invitation.organisation_details["ods_code"] == "RC1"
    assert invitation.collaborative == world.collab

    message = last_email("cara@cedar.example.nhs.uk")
    assert DETAILS["name"] in message.subject
    assert world.collab.name in message.body
    path = link_in(message, "/accounts/invitations/accept/")

    client = login(None)
    page = client.get(path)
    assert page.status_code == 200
    assert 'value="Cara Cedar"' in page.content.decode()
    done = client.post(
        path,
        {"full_name": "Cara Cedar", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302

    org = Organisation.objects.get(ods_code="RC1")
    assert org.name == DETAILS["name"]
    assert org.org_type == "nhs_trust"
    assert org.region == "sw"
    assert done["Location"] == org.get_absolute_url()
    cara = Person.objects.get(email="cara@cedar.example.nhs.uk")
    membership = CollaborativeMembership.objects.current().get(
        collaborative=world.collab, organisation=org
    )
    assert membership.programme_manager == cara
    assert Affiliation.objects.get(person=cara, organisation=org).role == "programme_manager"
    invitation.refresh_from_db()
    assert invitation.organisation == org
    assert invitation.status == "Accepted"
    banner = client.get(done["Location"]).content.decode()
    assert "You are its programme manager" in banner
    # As programme manager, Cara can now invite her own staff.
    assert client.get(reverse("accounts:invitation_create", args=[org.slug])).status_code == 200


def test_existing_organisation_is_matched_by_ods_code(world: Any, login: Any) -> None:
    # Trust O is on qicollab (in another collaborative); the lead invites it by its ODS code.
    lead = login(world.people["collab_lead"])
    data = {
        **DETAILS,
        "name": "Other Region Trust (typed differently)",
        "ods_code": "RO1",
        "email": "new.pm@other.example.nhs.uk",
    }
    assert lead.post(_url(world), data).status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.organisation == world.trust_o  # linked at once, so its managers can see it
    path = link_in(last_email("new.pm@other.example.nhs.uk"), "/accept/")
    client = login(None)
    client.post(
        path, {"full_name": "New PM", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert Organisation.objects.filter(ods_code="RO1").count() == 1
    assert (
        CollaborativeMembership.objects.current()
        .filter(collaborative=world.collab, organisation=world.trust_o)
        .exists()
    )
    # Still a member of its own collaborative too.
    assert (
        CollaborativeMembership.objects.current()
        .filter(collaborative=world.other_collab, organisation=world.trust_o)
        .exists()
    )
    new_pm = Person.objects.get(email="new.pm@other.example.nhs.uk")
    assert (
        Affiliation.objects.get(person=new_pm, organisation=world.trust_o).role
        == "programme_manager"
    )


def test_existing_person_accepts_for_their_organisation(world: Any, login: Any) -> None:
    lead = login(world.people["collab_lead"])
    data = {
        **DETAILS,
        "name": "Other Region NHS Trust",
        "ods_code": "RO1",
        "email": "pm_o@example.nhs.uk",
    }
    lead.post(_url(world), data)
    path = link_in(last_email("pm_o@example.nhs.uk"), "/accept/")
    client = login(world.people["pm_o"])
    assert "Accept invitation" in client.get(path).content.decode()
    assert client.post(path).status_code == 302
    membership = CollaborativeMembership.objects.current().get(
        collaborative=world.collab, organisation=world.trust_o
    )
    assert membership.programme_manager == world.people["pm_o"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ods_code": "RA1", "name": "Avon Test Partnership NHS Trust"}, "is already a member of"),
        ({"ods_code": "", "org_type": "nhs_trust"}, "Enter the trust's ODS code"),
        ({"ods_code": "X1"}, "Enter an ODS code of 3 to 6 capital letters and numbers"),
        ({"ods_code": "AB1"}, "starts with R or T"),
        (
            {"ods_code": "RZ9", "name": "Brook Test Partnership NHS Trust"},
            "is already on qicollab (ODS code RB1)",
        ),
        ({"email": "not an email"}, "Enter an email address in the right format"),
        ({"region": ""}, "Choose the organisation's region"),
        ({"org_type": ""}, "Choose the type of organisation"),
    ],
)
def test_bad_organisation_details_are_explained(
    world: Any, login: Any, change: dict[str, str], message: str
) -> None:
    response = login(world.people["collab_lead"]).post(_url(world), {**DETAILS, **change})
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "There is a problem" in html
    assert message in html
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_duplicate_organisation_invitation_is_refused(world: Any, login: Any) -> None:
    lead = login(world.people["collab_lead"])
    lead.post(_url(world), DETAILS)
    response = lead.post(_url(world), {**DETAILS, "email": "someone.else@cedar.example.nhs.uk"})
    assert "already waiting to be accepted" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_organisation_invitations_are_listed_and_can_be_withdrawn_by_the_lead(
    world: Any, login: Any
) -> None:
    lead = login(world.people["collab_lead"])
    lead.post(_url(world), DETAILS)
    invitation = Invitation.objects.get()
    page = lead.get(_url(world)).content.decode()
    assert DETAILS["name"] in page
    assert "Waiting" in page
    assert (
        login(world.people["pm_a"])
        .post(reverse("accounts:invitation_revoke", args=[invitation.pk]))
        .status_code
        == 403
    )
    assert (
        login(world.people["outsider"])
        .post(reverse("accounts:invitation_revoke", args=[invitation.pk]))
        .status_code
        == 404
    )
    response = lead.post(reverse("accounts:invitation_revoke", args=[invitation.pk]))
    assert response["Location"] == _url(world)
    invitation.refresh_from_db()
    assert invitation.status == "Withdrawn"


def test_organisation_created_meanwhile_with_the_same_name_is_explained(
    world: Any, login: Any
) -> None:
    lead = login(world.people["collab_lead"])
    lead.post(_url(world), {**DETAILS, "org_type": "voluntary", "ods_code": ""})
    path = link_in(last_email(DETAILS["email"]), "/accept/")
    Organisation.objects.create(
        name=DETAILS["name"].upper(), slug="cedar-dup", org_type="voluntary", region="sw"
    )
    # Matched by name when there is no ODS code: it joins as the existing organisation.
    client = login(None)
    response = client.post(
        path, {"full_name": "Cara", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert Organisation.objects.filter(name__iexact=DETAILS["name"]).count() == 1
