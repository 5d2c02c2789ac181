"""Optional single sign-on with OpenID Connect (mozilla-django-oidc).

Off unless ``OIDC_RP_CLIENT_ID`` is set; every setting comes from the environment (see
``.env.example``). People are matched by email address, ignoring case. A new person is
created only when ``OIDC_CREATE_USER`` is on; otherwise invitations stay the only way in,
and single sign-on is just another way for invited people to log in. A closed (inactive)
account stays closed: signing in through the identity provider never reopens it.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from qicollab.accounts.models import Person

logger = logging.getLogger(__name__)


def claims_email(claims: dict[str, Any]) -> str:
    """The email address in the claims, normalised the way Person stores it ('' if none)."""
    return str(claims.get("email") or "").strip().lower()


def claims_full_name(claims: dict[str, Any]) -> str:
    """The person's name from the standard claims, falling back to their email address."""
    name = str(claims.get("name") or "").strip()
    if not name:
        parts = [str(claims.get(k) or "").strip() for k in ("given_name", "family_name")]
        name = " ".join(p for p in parts if p)
    return " ".join(name.split())[:150] or claims_email(claims)


class PersonOIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """Log people in with the organisation's identity provider, matched by email."""

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        # An address the provider has not verified could be anybody's: refuse it, or anyone
        # able to register that address at the provider could take over the account.
        if not claims_email(claims):
            return False
        return claims.get("email_verified", True) is not False

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[Person]:
        email = claims_email(claims)
        if not email:
            return Person.objects.none()
        # Inactive people are matched too, so a closed account is found (and refused in
        # ``update_user``) rather than replaced by a new one.
        return Person.objects.filter(email__iexact=email)

    def create_user(self, claims: dict[str, Any]) -> Person | None:
        if not getattr(settings, "OIDC_CREATE_USER", False):
            logger.info(
                "Single sign-on refused: no account for this email and OIDC_CREATE_USER is off"
            )
            return None
        person = Person.objects.create_user(
            email=claims_email(claims), password=None, full_name=claims_full_name(claims)
        )
        logger.info("Single sign-on created person %s", person.pk)
        return person

    def update_user(self, user: Person, claims: dict[str, Any]) -> Person | None:
        if not user.is_active:
            logger.info("Single sign-on refused for closed account %s", user.pk)
            return None
        if not user.full_name:
            user.full_name = claims_full_name(claims)
            user.save(update_fields=["full_name"])
        return user
