"""API shapes for people. Passwords, token hashes and staff flags are never part of them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from qicollab.accounts.models import LivedExperience
from qicollab.accounts.presenters import shown_profession, shown_profession_label
from qicollab.api.schemas import CollaborativeRef, OrganisationRef


class PersonOut(Schema):
    """A person the viewer may see. Email is shown to everyone who may open their page."""

    id: int
    full_name: str
    email: str
    job_title: str
    profession: str = Field(description="A profession code, or empty.")
    profession_label: str
    page_url: str

    @staticmethod
    def resolve_profession(obj: Any) -> str:
        # The same rule as the pages: a lived-experience profession is private.
        return shown_profession(obj)

    @staticmethod
    def resolve_profession_label(obj: Any) -> str:
        return shown_profession_label(obj)

    @staticmethod
    def resolve_page_url(obj: Any) -> str:
        return str(obj.get_absolute_url())


class PersonAffiliationOut(Schema):
    organisation: OrganisationRef
    role: str
    role_label: str
    started_on: dt.date


class PersonCollaborativeRoleOut(Schema):
    collaborative: CollaborativeRef
    role: str
    role_label: str
    title: str


class PersonDetailOut(PersonOut):
    lived_experience: LivedExperience | None = Field(
        description=(
            "`null` when it is not yours to see (it is shown to the person, the leads of "
            "their collaboratives and national admins); empty when none is recorded."
        )
    )
    affiliations: list[PersonAffiliationOut]
    collaborative_roles: list[PersonCollaborativeRoleOut]


class MePermissions(Schema):
    add_organisation: bool
    add_collaborative: bool


class MeOut(PersonDetailOut):
    permissions: MePermissions
