"""Accepting an invitation: new people, existing people, the wrong person, dead links."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from qicollab.accounts import services
from qicollab.accounts.models import Invitation, Person
from qicollab.organisations.models import Affiliation
from tests.accounts.helpers import last_email, link_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "lantern-orchard-velvet-42"


def _invite(
    world: Any, email: str = "nia@example.nhs.uk", role: str = "staff"
) -> tuple[Invitation, str]:
    invitation = services.invitation_create(
        actor=world.people["pm_a"],
        organisation=world.trust_a,
        email=email,
        full_name="Nia Newcomer",
        role=role,
    )
    return invitation, link_in(last_email(email), "/accounts/invitations/accept/")


def _register(client: Any, path: str, **data: str) -> Any:
    payload = {
        "full_name": "Nia Newcomer",
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
        **data,
    }
    return client.post(path, payload)


# --- A new person -------------------------------------------------------------------------


def test_new_person_sees_a_form_with_their_name_filled_in(world: Any, login: Any) -> None:
    _, path = _invite(world)
    response = login(None).get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Nia Newcomer"' in html
    assert "Create your account" in html
    assert world.trust_a.name in html
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    )


def test_new_person_creates_account_joins_and_is_logged_in(world: Any, login: Any) -> None:
    invitation, path = _invite(world, role="partner")
    client = login(None)
    response = _register(client, path, full_name="  Nia   Newcomer-Jones ")
    assert response.status_code == 302
    assert response["Location"] == world.trust_a.get_absolute_url()

    person = Person.objects.get(email="nia@example.nhs.uk")
    assert person.full_name == "Nia Newcomer-Jones"
    assert person.check_password(NEW_PASSWORD)
    assert Affiliation.objects.get(person=person, organisation=world.trust_a).role == "partner"
    invitation.refresh_from_db()
    assert invitation.status == "Accepted"
    assert invitation.accepted_by == person
    assert int(client.session[SESSION_KEY]) == person.pk

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert (
        f"Welcome to {world.trust_a.name}. You have joined as a lived-experience partner."
        in page.content.decode()
    )
    # The new person can log in with the password they chose.
    assert (
        login(None)
        .post(
            reverse("accounts:login"), {"username": "nia@example.nhs.uk", "password": NEW_PASSWORD}
        )
        .status_code
        == 302
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"new_password2": "something-else-entirely"}, "The passwords do not match"),
        ({"new_password1": "short", "new_password2": "short"}, "This password is too short"),
        (
            {"new_password1": "password123", "new_password2": "password123"},
            "This password is too common",
        ),
        ({"new_password1": "nianewcomer1", "new_password2": "nianewcomer1"}, "too similar"),
        ({"full_name": ""}, "Enter your full name"),
        ({"new_password1": "", "new_password2": ""}, "Enter a new password"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_created(
    world: Any, login: Any, data: dict[str, str], message: str
) -> None:
    invitation, path = _invite(world)
    response = _register(login(None), path, **data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert not Person.objects.filter(email="nia@example.nhs.uk").exists()
    invitation.refresh_from_db()
    assert invitation.status == "Waiting"


def test_typed_name_is_kept_after_an_error(world: Any, login: Any) -> None:
    _, path = _invite(world)
    response = _register(login(None), path, full_name="Nia Changed", new_password2="nope-nope-nope")
    assert 'value="Nia Changed"' in response.content.decode()


# --- Someone who already has an account ---------------------------------------------------


def test_existing_person_is_asked_to_log_in_then_accepts_with_one_button(
    world: Any, login: Any
) -> None:
    staff_b = world.people["staff_b"]
    invitation, path = _invite(world, email="STAFF_B@example.nhs.uk", role="viewer")
    anonymous = login(None)
    response = anonymous.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "already have a qicollab account" in html
    login_link = reverse("accounts:login") + "?next=" + path.replace("/", "%2F")
    assert login_link in html
    assert "Create your account" not in html

    # Logging in with next= comes back to the invitation.
    logged_in = anonymous.post(
        reverse("accounts:login") + "?next=" + path,
        {"username": "staff_b@example.nhs.uk", "password": PASSWORD, "next": path},
    )
    assert logged_in.status_code == 302
    assert logged_in["Location"] == path
    page = anonymous.get(path)
    assert "Accept invitation" in page.content.decode()
    done = anonymous.post(path)
    assert done.status_code == 302
    assert Affiliation.objects.get(person=staff_b, organisation=world.trust_a).role == "viewer"
    # Still in trust B too: people can belong to more than one organisation.
    assert Affiliation.objects.filter(
        person=staff_b, organisation=world.trust_b, ended_on__isnull=True
    ).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == staff_b


def test_existing_person_cannot_take_over_the_account_by_registering(
    world: Any, login: Any
) -> None:
    _, path = _invite(world, email="staff_b@example.nhs.uk")
    response = _register(login(None), path)
    assert response.status_code == 200
    assert (
        not world.people["staff_b"]
        .__class__.objects.get(pk=world.people["staff_b"].pk)
        .check_password(NEW_PASSWORD)
    )
    assert not Affiliation.objects.filter(
        person=world.people["staff_b"], organisation=world.trust_a
    ).exists()


def test_closed_account_is_told_it_cannot_accept(world: Any, login: Any) -> None:
    _, path = _invite(world, email="staff_b@example.nhs.uk")
    Person.objects.filter(pk=world.people["staff_b"].pk).update(is_active=False)
    response = login(None).get(path)
    assert "has been closed" in response.content.decode()


def test_wrong_person_logged_in_gets_a_clear_message(world: Any, login: Any) -> None:
    invitation, path = _invite(world)
    client = login(world.people["staff_b"])
    response = client.get(path)
    assert response.status_code == 403
    html = response.content.decode()
    assert "This invitation is for someone else" in html
    assert "nia@example.nhs.uk" in html
    assert "staff_b@example.nhs.uk" in html
    assert client.post(path).status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == "Waiting"
    assert not Affiliation.objects.filter(
        person=world.people["staff_b"], organisation=world.trust_a
    ).exists()


# --- Links that no longer work ------------------------------------------------------------


def test_unknown_token_gets_a_friendly_404(world: Any, login: Any) -> None:
    response = login(None).get(reverse("accounts:invitation_accept", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert "This invitation link does not work" in response.content.decode()


def test_expired_invitation_gets_410(world: Any, login: Any) -> None:
    invitation, path = _invite(world)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    response = login(None).get(path)
    assert response.status_code == 410
    assert "This invitation has expired" in response.content.decode()
    assert _register(login(None), path).status_code == 410
    assert not Person.objects.filter(email="nia@example.nhs.uk").exists()


def test_withdrawn_invitation_gets_410(world: Any, login: Any) -> None:
    invitation, path = _invite(world)
    services.invitation_revoke(actor=world.people["pm_a"], invitation=invitation)
    response = _register(login(None), path)
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()
    assert not Person.objects.filter(email="nia@example.nhs.uk").exists()


def test_an_invitation_cannot_be_used_twice(world: Any, login: Any) -> None:
    _, path = _invite(world)
    first = login(None)
    assert _register(first, path).status_code == 302
    # The same browser, now logged in as the invitee, and a stranger, both get "already used".
    again = first.post(path)
    assert again.status_code == 410
    assert "already been accepted" in again.content.decode()
    assert _register(login(None), path).status_code == 410
    assert Person.objects.filter(email="nia@example.nhs.uk").count() == 1
    assert Affiliation.objects.filter(person__email="nia@example.nhs.uk").count() == 1


def test_service_refuses_a_second_accept_even_with_a_stale_object(world: Any) -> None:
    invitation, _ = _invite(world, email="staff_b@example.nhs.uk")
    stale = Invitation.objects.get(pk=invitation.pk)
    services.invitation_accept(invitation=invitation, person=world.people["staff_b"])
    with pytest.raises(services.InvitationError, match="already been accepted"):
        services.invitation_accept(invitation=stale, person=world.people["staff_b"])


def test_service_refuses_the_wrong_person(world: Any) -> None:
    invitation, _ = _invite(world)
    with pytest.raises(services.InvitationError, match="different email"):
        services.invitation_accept(invitation=invitation, person=world.people["outsider"])


def test_a_failure_part_way_leaves_nothing_behind(world: Any, monkeypatch: Any) -> None:
    invitation, _ = _invite(world)

    def boom(**kwargs: Any) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr("qicollab.accounts.services.org_services.affiliation_set", boom)
    with pytest.raises(RuntimeError):
        services.invitation_accept_as_new_person(
            invitation=invitation, full_name="Nia", password=NEW_PASSWORD
        )
    assert not Person.objects.filter(email="nia@example.nhs.uk").exists()
    invitation.refresh_from_db()
    assert invitation.status == "Waiting"
