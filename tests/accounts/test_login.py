"""Logging in: throttling (django-axes), no account enumeration, kept input, safe next."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import override_settings
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def _post(client: Any, email: str, password: str, **extra: Any) -> Any:
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


def test_correct_login_starts_a_session(world: Any, login: Any) -> None:
    client = login(None)
    response = _post(client, "staff_a@example.nhs.uk", PASSWORD)
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == world.people["staff_a"].pk


def test_email_is_matched_ignoring_case_and_spaces(world: Any, login: Any) -> None:
    assert _post(login(None), "  Staff_A@Example.NHS.uk ", PASSWORD).status_code == 302


def test_five_failures_lock_out_even_the_right_password(world: Any, login: Any) -> None:
    client = login(None)
    for _ in range(4):
        response = _post(client, "staff_a@example.nhs.uk", "wrong-password")
        assert response.status_code == 200
    # The fifth failure reaches the limit: axes answers it with the lockout page already.
    assert _post(client, "staff_a@example.nhs.uk", "wrong-password").status_code == 429
    response = _post(client, "staff_a@example.nhs.uk", PASSWORD)
    assert response.status_code == 429
    assert "Too many attempts to log in" in response.content.decode()
    assert SESSION_KEY not in client.session
    # A fresh browser from the same address is locked out too.
    other = login(None)
    assert _post(other, "staff_a@example.nhs.uk", PASSWORD).status_code == 429
    assert SESSION_KEY not in other.session


def test_lockout_is_per_email(world: Any, login: Any) -> None:
    for _ in range(5):
        _post(login(None), "staff_a@example.nhs.uk", "wrong-password")
    assert _post(login(None), "staff_b@example.nhs.uk", PASSWORD).status_code == 302


def test_lockout_is_per_address(world: Any, login: Any) -> None:
    for _ in range(5):
        _post(login(None), "staff_a@example.nhs.uk", "wrong-password", REMOTE_ADDR="203.0.113.9")
    assert (
        _post(
            login(None), "staff_a@example.nhs.uk", PASSWORD, REMOTE_ADDR="203.0.113.9"
        ).status_code
        == 429
    )
    assert (
        _post(
            login(None), "staff_a@example.nhs.uk", PASSWORD, REMOTE_ADDR="198.51.100.7"
        ).status_code
        == 302
    )


def test_a_correct_login_resets_the_count(world: Any, login: Any) -> None:
    for _ in range(4):
        _post(login(None), "staff_a@example.nhs.uk", "wrong-password")
    assert _post(login(None), "staff_a@example.nhs.uk", PASSWORD).status_code == 302
    for _ in range(4):
        _post(login(None), "staff_a@example.nhs.uk", "wrong-password")
    # 8 failures in all, but never 5 in a row: still allowed in.
    assert _post(login(None), "staff_a@example.nhs.uk", PASSWORD).status_code == 302


def _error_text(response: Any) -> str:
    html = unescape(response.content.decode())
    summary = re.search(r'class="nhsuk-error-summary.*?</div>\s*</div>', html, re.S)
    assert summary, "no error summary"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", summary.group(0))).strip()


def test_errors_do_not_reveal_whether_the_email_exists(world: Any, login: Any) -> None:
    known = _post(login(None), "staff_a@example.nhs.uk", "wrong-password")
    unknown = _post(login(None), "nobody@example.nhs.uk", "wrong-password")
    assert known.status_code == unknown.status_code == 200
    assert _error_text(known) == _error_text(unknown)
    assert "The email address or password is not right" in _error_text(known)


def test_unknown_emails_are_locked_out_the_same_way(world: Any, login: Any) -> None:
    for _ in range(5):
        _post(login(None), "nobody@example.nhs.uk", "wrong-password")
    assert _post(login(None), "nobody@example.nhs.uk", "wrong-password").status_code == 429


def test_typed_email_is_kept_after_a_failure(world: Any, login: Any) -> None:
    response = _post(login(None), "staff_a@example.nhs.uk", "wrong-password")
    html = response.content.decode()
    assert 'value="staff_a@example.nhs.uk"' in html
    assert "wrong-password" not in html  # the password is never sent back


def test_empty_form_says_what_is_missing(world: Any, login: Any) -> None:
    html = unescape(_post(login(None), "", "").content.decode())
    assert "Enter your email address." in html
    assert "Enter your password." in html


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/organisations/", "/organisations/"),
        ("/accounts/profile/?tab=1", "/accounts/profile/?tab=1"),
        ("https://evil.example/phish", "/"),
        ("//evil.example/phish", "/"),
        ("http://testserver.evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
    ],
)
def test_next_is_honoured_only_for_same_site_paths(
    world: Any, login: Any, next_url: str, expected: str
) -> None:
    response = login(None).post(
        LOGIN + "?next=" + next_url,
        {"username": "staff_a@example.nhs.uk", "password": PASSWORD, "next": next_url},
    )
    assert response.status_code == 302
    assert response["Location"] == expected


def test_login_page_carries_next_through_the_form(world: Any, login: Any) -> None:
    html = login(None).get(LOGIN + "?next=/organisations/").content.decode()
    assert 'name="next" value="/organisations/"' in html


def test_inactive_person_cannot_log_in(world: Any, login: Any) -> None:
    person = world.people["staff_a"]
    person.is_active = False
    person.save()
    client = login(None)
    assert _post(client, "staff_a@example.nhs.uk", PASSWORD).status_code == 200
    assert SESSION_KEY not in client.session


@override_settings(SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True)
def test_cookies_are_secure_httponly_and_lax(world: Any, login: Any) -> None:
    client = login(None)
    response = _post(client, "staff_a@example.nhs.uk", PASSWORD, secure=True)
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    page = client.get(LOGIN, secure=True)
    csrf = page.cookies.get("csrftoken") or client.cookies["csrftoken"]
    assert csrf["secure"] is True


def test_sso_failure_is_explained_on_the_login_page(world: Any, login: Any) -> None:
    html = login(None).get(LOGIN + "?sso=failed").content.decode()
    assert "Single sign-on did not log you in" in html
