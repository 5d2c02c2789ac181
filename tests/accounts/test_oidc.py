"""Single sign-on: how the OIDC backend matches people to the identity provider's claims.

No network: the provider's userinfo answer is replaced by a claims dict.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import SuspiciousOperation
from django.test import override_settings

from qicollab.accounts.models import Person
from qicollab.accounts.oidc import PersonOIDCBackend, claims_full_name

pytestmark = pytest.mark.django_db

OIDC = {
    "OIDC_RP_CLIENT_ID": "qicollab-test",
    "OIDC_RP_CLIENT_SECRET": "not-a-real-secret",
    "OIDC_RP_SIGN_ALGO": "HS256",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.invalid/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://idp.invalid/token",
    "OIDC_OP_USER_ENDPOINT": "https://idp.invalid/userinfo",
    "OIDC_RP_SCOPES": "openid email profile",
    "OIDC_CREATE_USER": False,
}


def _sign_in(claims: dict[str, Any], **settings: Any) -> Any:
    """What the backend decides for these claims (None: not logged in)."""
    with override_settings(**{**OIDC, **settings}):
        backend = PersonOIDCBackend()
        backend.get_userinfo = lambda access_token, id_token, payload: claims
        return backend.get_or_create_user("access-token", "id-token", {})


def test_matches_an_existing_person_ignoring_case(world: Any) -> None:
    person = _sign_in({"email": "Staff_A@EXAMPLE.nhs.uk", "email_verified": True})
    assert person == world.people["staff_a"]


def test_unknown_email_is_refused_when_creating_is_off(world: Any) -> None:
    before = Person.objects.count()
    assert _sign_in({"email": "newcomer@example.nhs.uk", "name": "New Comer"}) is None
    assert Person.objects.count() == before


def test_unknown_email_creates_a_person_when_creating_is_on(world: Any) -> None:
    person = _sign_in(
        {"email": "NewComer@Example.nhs.uk", "given_name": "New", "family_name": "Comer"},
        OIDC_CREATE_USER=True,
    )
    assert person is not None
    person.refresh_from_db()
    assert person.email == "newcomer@example.nhs.uk"
    assert person.full_name == "New Comer"
    assert person.is_active
    assert not person.has_usable_password()  # they log in through the provider
    assert not person.affiliations.exists()  # and join nothing until invited


def test_a_closed_account_is_never_reopened(world: Any) -> None:
    Person.objects.filter(pk=world.people["staff_a"].pk).update(is_active=False)
    assert _sign_in({"email": "staff_a@example.nhs.uk"}, OIDC_CREATE_USER=True) is None
    assert Person.objects.filter(email__iexact="staff_a@example.nhs.uk").count() == 1
    assert not Person.objects.get(email="staff_a@example.nhs.uk").is_active


def test_an_unverified_email_is_refused(world: Any) -> None:
    with pytest.raises(SuspiciousOperation):
        _sign_in({"email": "staff_a@example.nhs.uk", "email_verified": False})


def test_claims_without_an_email_are_refused(world: Any) -> None:
    with pytest.raises(SuspiciousOperation):
        _sign_in({"sub": "1234", "name": "No Email"}, OIDC_CREATE_USER=True)


def test_two_accounts_differing_only_in_case_are_refused(world: Any) -> None:
    # Person emails are stored lower-case, but an older row might not be: never guess.
    Person.objects.create_user(email="twin@example.nhs.uk", full_name="Twin")
    Person.objects.filter(email="twin@example.nhs.uk").update(email="Twin@example.nhs.uk")
    Person.objects.create_user(email="twin@example.nhs.uk", full_name="Twin two")
    with pytest.raises(SuspiciousOperation):
        _sign_in({"email": "twin@example.nhs.uk"})


def test_an_empty_name_is_filled_from_the_claims(world: Any) -> None:
    Person.objects.filter(pk=world.people["staff_a"].pk).update(full_name="")
    person = _sign_in({"email": "staff_a@example.nhs.uk", "name": "Sam  Staff"})
    person.refresh_from_db()
    assert person.full_name == "Sam Staff"


def test_an_existing_name_is_kept(world: Any) -> None:
    person = _sign_in({"email": "staff_a@example.nhs.uk", "name": "Someone Else"})
    person.refresh_from_db()
    assert person.full_name == "Staff A"


def test_full_name_falls_back_to_the_email() -> None:
    assert claims_full_name({"email": "x@example.nhs.uk"}) == "x@example.nhs.uk"
    assert claims_full_name({"name": " A  B ", "email": "x@example.nhs.uk"}) == "A B"


def test_password_login_still_works_alongside_sso(world: Any, login: Any) -> None:
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    from tests.factories import PASSWORD

    backends = [
        "axes.backends.AxesStandaloneBackend",
        "qicollab.accounts.oidc.PersonOIDCBackend",
        "rules.permissions.ObjectPermissionBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    with override_settings(**OIDC, AUTHENTICATION_BACKENDS=backends):
        request = RequestFactory().post("/accounts/login/")
        person = authenticate(request, username="staff_a@example.nhs.uk", password=PASSWORD)
    assert person == world.people["staff_a"]
