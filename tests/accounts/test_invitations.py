"""Programme managers invite staff: who may, the email, refusals, the list, withdraw, resend."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from qicollab.accounts import services
from qicollab.accounts.models import Invitation, hash_token
from tests.accounts.helpers import last_email, link_in

pytestmark = pytest.mark.django_db


def _create_url(world: Any) -> str:
    return reverse("accounts:invitation_create", args=[world.trust_a.slug])


def _invite(client: Any, world: Any, **data: str) -> Any:
    payload = {"full_name": "Nia Newcomer", "email": "nia@example.nhs.uk", "role": "staff", **data}
    return client.post(_create_url(world), payload)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("pm_a", 200),
        ("national_admin", 200),
        ("staff_a", 403),
        ("partner_a", 403),
        ("viewer_a", 403),
        ("faculty", 403),  # sees trust A (coordinates it) but does not manage its staff
        ("staff_b", 403),  # sees trust A as a peer in the collaborative
        ("pm_o", 404),  # another collaborative: cannot even see trust A
        ("outsider", 404),
    ],
)
def test_who_may_open_the_invite_form(world: Any, login: Any, persona: str, status: int) -> None:
    response = login(world.people[persona]).get(_create_url(world))
    assert response.status_code == status


def test_anonymous_is_sent_to_log_in(world: Any, login: Any) -> None:
    response = login(None).get(_create_url(world))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("staff_a", 403),  # sees their own trust, may not manage its staff
        ("staff_b", 403),  # sees trust A as a peer
        ("pm_o", 404),  # cannot see trust A: its existence is not confirmed
        ("outsider", 404),
    ],
)
def test_those_who_may_not_invite_cannot_post_either(
    world: Any, login: Any, persona: str, status: int
) -> None:
    response = _invite(login(world.people[persona]), world)
    assert response.status_code == status
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_pm_invites_and_an_email_with_a_working_link_is_sent(world: Any, login: Any) -> None:
    client = login(world.people["pm_a"])
    response = _invite(client, world, email="  Nia@Example.NHS.uk ", role="partner")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:invitation_list", args=[world.trust_a.slug])

    invitation = Invitation.objects.get()
    assert invitation.email == "nia@example.nhs.uk"
    assert invitation.role == "partner"
    assert invitation.organisation == world.trust_a
    assert invitation.invited_by == world.people["pm_a"]
    expected = timezone.now() + dt.timedelta(days=14)
    assert abs((invitation.expires_at - expected).total_seconds()) < 60

    message = last_email("nia@example.nhs.uk")
    assert message.subject == f"Pm A has invited you to join {world.trust_a.name} on qicollab"
    assert "lived-experience partner" in message.body
    assert message.alternatives[0][1] == "text/html"
    path = link_in(message, "/accounts/invitations/accept/")
    token = path.rstrip("/").rsplit("/", 1)[-1]
    # Only the hash is stored: the token itself appears nowhere in the database row.
    assert invitation.token_hash == hash_token(token)
    assert token not in str(Invitation.objects.values().get())
    # The link opens the accept page.
    assert login(None).get(path).status_code == 200


def test_the_success_banner_names_the_address_and_expiry(world: Any, login: Any) -> None:
    client = login(world.people["pm_a"])
    response = client.post(
        _create_url(world),
        {"full_name": "Nia Newcomer", "email": "nia@example.nhs.uk", "role": "staff"},
        follow=True,
    )
    html = response.content.decode()
    expires = Invitation.objects.get().expires_at
    assert f"Invitation sent to nia@example.nhs.uk. The link works until {expires:%d %B %Y}" in html


@override_settings(INVITATION_VALID_DAYS=3)
def test_expiry_follows_the_setting(world: Any) -> None:
    invitation = services.invitation_create(
        actor=world.people["pm_a"],
        organisation=world.trust_a,
        email="x@example.nhs.uk",
        full_name="X",
        role="staff",
    )
    assert invitation.expires_at < timezone.now() + dt.timedelta(days=3, minutes=1)
    assert invitation.expires_at > timezone.now() + dt.timedelta(days=2, hours=23)


def test_invalid_form_keeps_what_was_typed_and_shows_the_error_summary(
    world: Any, login: Any
) -> None:
    response = _invite(
        login(world.people["pm_a"]), world, email="not-an-email", full_name="Keep Me"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter an email address in the right format" in html
    assert 'value="Keep Me"' in html
    assert 'value="not-an-email"' in html
    assert not Invitation.objects.exists()


def test_a_second_open_invitation_to_the_same_person_is_refused(world: Any, login: Any) -> None:
    client = login(world.people["pm_a"])
    _invite(client, world)
    response = _invite(client, world, email="NIA@example.nhs.uk")
    assert response.status_code == 200
    assert "already waiting to be accepted" in response.content.decode()
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_withdrawn_or_expired_invitation_does_not_block_a_new_one(world: Any, login: Any) -> None:
    client = login(world.people["pm_a"])
    _invite(client, world)
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert _invite(client, world).status_code == 302
    Invitation.objects.update(revoked_at=timezone.now())
    assert _invite(client, world).status_code == 302
    assert Invitation.objects.count() == 3


def test_someone_already_in_the_organisation_is_refused(world: Any, login: Any) -> None:
    response = _invite(login(world.people["pm_a"]), world, email="Staff_A@example.nhs.uk")
    assert response.status_code == 200
    assert (
        f"staff_a@example.nhs.uk already belongs to {world.trust_a.name}"
        in response.content.decode()
    )
    assert not Invitation.objects.exists()


def test_someone_in_another_organisation_can_be_invited(world: Any, login: Any) -> None:
    response = _invite(login(world.people["pm_a"]), world, email="staff_b@example.nhs.uk")
    assert response.status_code == 302


def test_unknown_role_is_refused(world: Any, login: Any) -> None:
    response = _invite(login(world.people["pm_a"]), world, role="superuser")
    assert response.status_code == 200
    assert not Invitation.objects.exists()
    with pytest.raises(services.InvitationError):
        services.invitation_create(
            actor=world.people["pm_a"],
            organisation=world.trust_a,
            email="x@example.nhs.uk",
            full_name="X",
            role="admin",
        )


def test_when_the_email_cannot_be_sent_nothing_is_saved(world: Any, login: Any) -> None:
    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("smtp down")
    ):
        response = _invite(login(world.people["pm_a"]), world)
    assert response.status_code == 200
    assert "could not send the invitation email" in response.content.decode()
    assert not Invitation.objects.exists()


# --- The list, withdraw and send again ----------------------------------------------------


def _waiting(world: Any, email: str = "nia@example.nhs.uk") -> Invitation:
    return services.invitation_create(
        actor=world.people["pm_a"],
        organisation=world.trust_a,
        email=email,
        full_name="Nia Newcomer",
        role="staff",
    )


def test_list_shows_status_inviter_and_date(world: Any, login: Any) -> None:
    _waiting(world, "wait@example.nhs.uk")
    _waiting(world, "gone@example.nhs.uk")
    _waiting(world, "old@example.nhs.uk")
    _waiting(world, "done@example.nhs.uk")
    Invitation.objects.filter(email="gone@example.nhs.uk").update(revoked_at=timezone.now())
    Invitation.objects.filter(email="old@example.nhs.uk").update(
        expires_at=timezone.now() - dt.timedelta(days=1)
    )
    Invitation.objects.filter(email="done@example.nhs.uk").update(accepted_at=timezone.now())
    response = login(world.people["pm_a"]).get(
        reverse("accounts:invitation_list", args=[world.trust_a.slug])
    )
    assert response.status_code == 200
    html = response.content.decode()
    for status in ("Waiting", "Withdrawn", "Expired", "Accepted"):
        assert status in html
    assert "Pm A" in html
    assert timezone.localdate().strftime("%-d %B %Y") in html
    # One Withdraw (only the waiting one), three Send again (all but the accepted one).
    assert (
        html.count(
            reverse(
                "accounts:invitation_revoke",
                args=[Invitation.objects.get(email="wait@example.nhs.uk").pk],
            )
        )
        == 1
    )
    assert html.count("/withdraw/") == 1
    assert html.count("/send-again/") == 3


@pytest.mark.parametrize(
    ("persona", "status"), [("staff_a", 403), ("staff_b", 403), ("pm_o", 404), ("outsider", 404)]
)
def test_list_is_private_to_those_who_invite(
    world: Any, login: Any, persona: str, status: int
) -> None:
    _waiting(world)
    response = login(world.people[persona]).get(
        reverse("accounts:invitation_list", args=[world.trust_a.slug])
    )
    assert response.status_code == status


def test_withdraw_stops_the_link_working(world: Any, login: Any) -> None:
    invitation = _waiting(world)
    path = link_in(last_email("nia@example.nhs.uk"), "/accept/")
    client = login(world.people["pm_a"])
    assert (
        client.get(reverse("accounts:invitation_revoke", args=[invitation.pk])).status_code == 405
    )
    response = client.post(reverse("accounts:invitation_revoke", args=[invitation.pk]))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "Withdrawn"
    page = login(None).get(path)
    assert page.status_code == 410
    assert "withdrawn" in page.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"), [("staff_a", 403), ("staff_b", 403), ("pm_o", 404), ("outsider", 404)]
)
def test_withdraw_is_permission_checked(world: Any, login: Any, persona: str, status: int) -> None:
    invitation = _waiting(world)
    response = login(world.people[persona]).post(
        reverse("accounts:invitation_revoke", args=[invitation.pk])
    )
    assert response.status_code == status
    invitation.refresh_from_db()
    assert invitation.status == "Waiting"


def test_send_again_issues_a_new_link_and_restarts_the_clock(world: Any, login: Any) -> None:
    invitation = _waiting(world)
    old_path = link_in(last_email("nia@example.nhs.uk"), "/accept/")
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(days=1), revoked_at=timezone.now()
    )
    response = login(world.people["pm_a"]).post(
        reverse("accounts:invitation_resend", args=[invitation.pk])
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "Waiting"
    assert invitation.expires_at > timezone.now() + dt.timedelta(days=13)
    assert len(mail.outbox) == 2
    new_path = link_in(last_email("nia@example.nhs.uk"), "/accept/")
    assert new_path != old_path
    assert login(None).get(old_path).status_code == 404
    assert login(None).get(new_path).status_code == 200


def test_send_again_is_refused_once_accepted(world: Any, login: Any) -> None:
    invitation = _waiting(world)
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    client = login(world.people["pm_a"])
    response = client.post(reverse("accounts:invitation_resend", args=[invitation.pk]), follow=True)
    assert "already accepted" in response.content.decode()
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("persona", "status"), [("staff_a", 403), ("pm_o", 404), ("outsider", 404)]
)
def test_send_again_is_permission_checked(
    world: Any, login: Any, persona: str, status: int
) -> None:
    invitation = _waiting(world)
    response = login(world.people[persona]).post(
        reverse("accounts:invitation_resend", args=[invitation.pk])
    )
    assert response.status_code == status
    assert len(mail.outbox) == 1


def test_withdraw_returns_to_the_same_page_but_never_off_site(world: Any, login: Any) -> None:
    invitation = _waiting(world)
    client = login(world.people["pm_a"])
    url = reverse("accounts:invitation_revoke", args=[invitation.pk])
    response = client.post(url, {"next": "https://evil.example/phish"})
    assert response["Location"] == reverse("accounts:invitation_list", args=[world.trust_a.slug])


def test_email_text_is_not_html_escaped_but_the_html_is(world: Any) -> None:
    world.people["pm_a"].full_name = "Siobhán O'Brien & Co"
    world.people["pm_a"].save()
    services.invitation_create(
        actor=world.people["pm_a"],
        organisation=world.trust_a,
        email="x@example.nhs.uk",
        full_name="<Nia>",
        role="staff",
    )
    message = last_email("x@example.nhs.uk")
    assert message.subject.startswith("Siobhán O'Brien & Co has invited you")
    assert "Hello <Nia>," in message.body
    html_body = message.alternatives[0][0]
    assert "O&#39;Brien &amp; Co" in html_body
    assert "&lt;Nia&gt;" in html_body
    assert "<Nia>" not in html_body


def test_buttons_carry_hidden_context_for_screen_readers(world: Any, login: Any) -> None:
    _waiting(world)
    html = (
        login(world.people["pm_a"])
        .get(reverse("accounts:invitation_list", args=[world.trust_a.slug]))
        .content.decode()
    )
    assert (
        'Withdraw<span class="nhsuk-u-visually-hidden"> the invitation to nia@example.nhs.uk'
        in html
    )
    assert 'Send again<span class="nhsuk-u-visually-hidden"> to nia@example.nhs.uk' in html
