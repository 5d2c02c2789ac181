"""Password reset by email, end to end, and password change."""

from __future__ import annotations

import re
from html import unescape
from typing import Any
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from qicollab.accounts.models import Person
from tests.accounts.helpers import last_email, link_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "lantern-orchard-velvet-42"
RESET = reverse("accounts:password_reset")


def _can_log_in(login: Any, email: str, password: str) -> bool:
    response = login(None).post(
        reverse("accounts:login"), {"username": email, "password": password}
    )
    return bool(response.status_code == 302)


def test_reset_end_to_end(world: Any, login: Any) -> None:
    client = login(None)
    response = client.post(RESET, {"email": "Staff_A@Example.nhs.uk"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_sent")
    sent_page = client.get(response["Location"]).content.decode()
    assert "If an account exists for" in sent_page

    message = last_email("staff_a@example.nhs.uk")
    assert message.subject == "Reset your qicollab password"
    path = link_in(message, "/accounts/password-reset/")

    # The token moves into the session and the address bar loses it.
    opened = client.get(path)
    assert opened.status_code == 302
    assert opened["Location"].endswith("/set-password/")
    form_page = client.get(opened["Location"])
    assert form_page.status_code == 200
    assert "Choose a new password" in form_page.content.decode()

    done = client.post(
        opened["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("accounts:password_reset_done")
    assert "Your password has been changed" in client.get(done["Location"]).content.decode()

    assert _can_log_in(login, "staff_a@example.nhs.uk", NEW_PASSWORD)
    assert not _can_log_in(login, "staff_a@example.nhs.uk", PASSWORD)
    # They are told by email that their password changed.
    assert last_email("staff_a@example.nhs.uk").subject == "Your qicollab password has been changed"
    # The link works once.
    assert login(None).get(path).status_code == 410


def test_unknown_and_known_emails_get_the_same_answer(world: Any, login: Any) -> None:
    known = login(None).post(RESET, {"email": "staff_a@example.nhs.uk"}, follow=True)
    unknown = login(None).post(RESET, {"email": "nobody@example.nhs.uk"}, follow=True)
    assert known.status_code == unknown.status_code == 200

    def normalise(response: Any, email: str) -> str:
        # Per-response values (CSP nonce, CSRF token) differ on every page anyway.
        html = re.sub(r'nonce="[^"]*"', "", response.content.decode())
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
        return html.replace(email, "EMAIL")

    assert normalise(known, "staff_a@example.nhs.uk") == normalise(unknown, "nobody@example.nhs.uk")
    assert [m.to for m in mail.outbox] == [["staff_a@example.nhs.uk"]]


def test_inactive_people_get_no_email(world: Any, login: Any) -> None:
    Person.objects.filter(email="staff_a@example.nhs.uk").update(is_active=False)
    response = login(None).post(RESET, {"email": "staff_a@example.nhs.uk"})
    assert response.status_code == 302
    assert not mail.outbox


def test_a_mail_server_failure_does_not_reveal_anything(world: Any, login: Any) -> None:
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("down")):
        response = login(None).post(RESET, {"email": "staff_a@example.nhs.uk"})
    assert response.status_code == 302


def test_reset_emails_to_one_address_are_rate_limited(world: Any, login: Any) -> None:
    for _ in range(8):
        login(None).post(RESET, {"email": "staff_a@example.nhs.uk"})
    assert len(mail.outbox) == 5


def test_bad_email_is_explained(world: Any, login: Any) -> None:
    response = login(None).post(RESET, {"email": "nope"})
    assert response.status_code == 200
    assert "Enter an email address in the right format" in response.content.decode()


def test_reset_link_uses_site_url_not_the_host_header(world: Any, login: Any) -> None:
    with override_settings(
        SITE_URL="https://qicollab.example.org", ALLOWED_HOSTS=["evil.example", "testserver"]
    ):
        login(None).post(RESET, {"email": "staff_a@example.nhs.uk"}, HTTP_HOST="evil.example")
        body = last_email("staff_a@example.nhs.uk").body
    assert "https://qicollab.example.org/accounts/password-reset/" in body
    assert "evil.example" not in body


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/password-reset/MQ/bad-token/",
        "/accounts/password-reset/!!!/x/",
        "/accounts/password-reset/OTk5OQ/set-password/",
    ],
)
def test_bad_links_get_a_friendly_page(world: Any, login: Any, path: str) -> None:
    response = login(None).get(path)
    assert response.status_code == 410
    assert "This password reset link does not work" in response.content.decode()


def test_weak_new_password_is_refused(world: Any, login: Any) -> None:
    client = login(None)
    client.post(RESET, {"email": "staff_a@example.nhs.uk"})
    opened = client.get(link_in(last_email("staff_a@example.nhs.uk"), "/password-reset/"))
    response = client.post(
        opened["Location"], {"new_password1": "password1", "new_password2": "password1"}
    )
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "There is a problem" in html
    assert "This password is too common" in html
    assert _can_log_in(login, "staff_a@example.nhs.uk", PASSWORD)


def test_reset_lifts_a_login_lockout(world: Any, login: Any) -> None:
    for _ in range(5):
        login(None).post(
            reverse("accounts:login"), {"username": "staff_a@example.nhs.uk", "password": "wrong"}
        )
    assert AccessAttempt.objects.filter(username="staff_a@example.nhs.uk").exists()
    client = login(None)
    client.post(RESET, {"email": "staff_a@example.nhs.uk"})
    opened = client.get(link_in(last_email("staff_a@example.nhs.uk"), "/password-reset/"))
    client.post(opened["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert not AccessAttempt.objects.filter(username="staff_a@example.nhs.uk").exists()
    assert _can_log_in(login, "staff_a@example.nhs.uk", NEW_PASSWORD)


# --- Change when logged in ------------------------------------------------------------------


def test_change_password_needs_login(world: Any, login: Any) -> None:
    response = login(None).get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_change_password(world: Any, login: Any) -> None:
    client = login(None)
    client.post(
        reverse("accounts:login"), {"username": "staff_a@example.nhs.uk", "password": PASSWORD}
    )
    url = reverse("accounts:password_change")
    wrong = client.post(
        url,
        {"old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200
    assert "Your current password is not right" in wrong.content.decode()

    response = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    # Still logged in here…
    assert SESSION_KEY in client.session
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert _can_log_in(login, "staff_a@example.nhs.uk", NEW_PASSWORD)
    assert not _can_log_in(login, "staff_a@example.nhs.uk", PASSWORD)
    assert last_email("staff_a@example.nhs.uk").subject == "Your qicollab password has been changed"


def test_change_password_logs_out_other_sessions(world: Any, login: Any) -> None:
    elsewhere = login(None)
    elsewhere.post(
        reverse("accounts:login"), {"username": "staff_a@example.nhs.uk", "password": PASSWORD}
    )
    here = login(None)
    here.post(
        reverse("accounts:login"), {"username": "staff_a@example.nhs.uk", "password": PASSWORD}
    )
    here.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert elsewhere.get(reverse("accounts:profile")).status_code == 302


def test_mismatched_new_passwords_are_explained(world: Any, login: Any) -> None:
    client = login(world.people["staff_a"])
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD + "x",
        },
    )
    assert "The passwords do not match" in response.content.decode()


def test_reset_requests_for_one_address_are_throttled_with_a_message(
    world: Any, login: Any
) -> None:
    # Unknown and known addresses alike, so the answer reveals nothing about accounts.
    for email in ("nobody@example.nhs.uk", "staff_a@example.nhs.uk"):
        answers = [login(None).post(RESET, {"email": email}) for _ in range(6)]
        assert [r.status_code for r in answers[:5]] == [302] * 5
        assert answers[5].status_code == 429
        assert "too many requests to reset a password" in answers[5].content.decode()


def test_reset_requests_from_one_client_are_throttled(world: Any, login: Any) -> None:
    client = login(None)
    codes = [
        client.post(RESET, {"email": f"person{i}@example.nhs.uk"}).status_code for i in range(21)
    ]
    assert codes[:20] == [302] * 20
    assert codes[20] == 429
    # Another client (another address) is not affected.
    other = login(None).post(RESET, {"email": "x@example.nhs.uk"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302
