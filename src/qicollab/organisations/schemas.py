"""API shapes for organisations, collaboratives and memberships.

Output schemas name every field they expose; nothing is copied from the model wholesale,
so a new model field never leaks into the API by accident. Request bodies are checked by
the same Django forms as the pages (see ``api.py``); these schemas only fix the types.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from qicollab.api.schemas import (
    CollaborativeRef,
    InputSchema,
    OrganisationRef,
    PatchSchema,
    PersonRef,
)
from qicollab.core.services import version_token
from qicollab.organisations.models import CollaborativeKind, OrganisationType, Region

VERSION_HELP = (
    "When the record was last saved. Send it back as `version` with a change to be told "
    "(409) if someone else saved in between, instead of overwriting their work."
)


class OrganisationOut(Schema):
    slug: str
    name: str
    short_name: str
    org_type: OrganisationType
    org_type_label: str
    ods_code: str = Field(description="NHS Organisation Data Service code; empty if not recorded.")
    region: Region
    region_label: str
    website: str
    description: str
    version: str = Field(description=VERSION_HELP)
    page_url: str = Field(description="The organisation's page on this site.")

    @staticmethod
    def resolve_org_type_label(obj: Any) -> str:
        return str(obj.get_org_type_display())

    @staticmethod
    def resolve_region_label(obj: Any) -> str:
        return str(obj.get_region_display())

    @staticmethod
    def resolve_version(obj: Any) -> str:
        return version_token(obj)

    @staticmethod
    def resolve_page_url(obj: Any) -> str:
        return str(obj.get_absolute_url())


class OrganisationMembershipOut(Schema):
    """One of the organisation's collaboratives, current or past."""

    collaborative: CollaborativeRef
    programme_manager: PersonRef | None
    joined_on: dt.date
    left_on: dt.date | None


class OrganisationPermissions(Schema):
    change: bool = Field(description="May edit the organisation's details.")
    view_people: bool = Field(description="May list its staff and partners.")
    invite: bool = Field(description="May invite people to join it.")


class OrganisationDetailOut(OrganisationOut):
    collaboratives: list[OrganisationMembershipOut]
    permissions: OrganisationPermissions


class OrganisationIn(InputSchema):
    """A new organisation. Checked by the same rules as the 'Add an organisation' page."""

    name: str
    short_name: str = ""
    org_type: OrganisationType
    ods_code: str = Field("", description="Required for NHS trusts, like RX2.")
    region: Region
    website: str = ""
    description: str = ""


class OrganisationPatch(PatchSchema):
    """Only the fields sent are changed. ``null`` is refused: send ``""`` to clear text."""

    name: str | None = None
    short_name: str | None = None
    org_type: OrganisationType | None = None
    ods_code: str | None = None
    region: Region | None = None
    website: str | None = None
    description: str | None = None
    version: str | None = Field(None, description=VERSION_HELP)


class OrganisationPersonOut(Schema):
    """Someone currently at the organisation, as listed on its page."""

    person: PersonRef
    job_title: str
    email: str | None = Field(description="Shown wherever the person's own page would show it.")
    role: str
    role_label: str
    started_on: dt.date

    @staticmethod
    def resolve_person(obj: Any) -> PersonRef:
        return PersonRef(id=obj.person.pk, full_name=obj.person.full_name)

    @staticmethod
    def resolve_job_title(obj: Any) -> str:
        return str(obj.person.job_title)

    @staticmethod
    def resolve_email(obj: Any) -> str | None:
        # A closed account has no page to show it on.
        return str(obj.person.email) if obj.person.is_active else None

    @staticmethod
    def resolve_role_label(obj: Any) -> str:
        return str(obj.get_role_display())


class OrganisationConflictOut(Schema):
    detail: str
    current_version: str
    current: OrganisationOut


# --- Collaboratives -------------------------------------------------------------------


class ProgrammeRef(Schema):
    slug: str
    name: str


class CollaborativeOut(Schema):
    slug: str
    name: str
    short_name: str
    kind: CollaborativeKind
    kind_label: str
    programme: ProgrammeRef | None
    lead_organisation: OrganisationRef | None
    region: str = Field(description="One of the NHS England region codes, or empty.")
    purpose: str
    started_on: dt.date | None
    ends_on: dt.date | None
    is_public: bool
    member_count: int
    version: str = Field(description=VERSION_HELP)
    page_url: str

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_programme(obj: Any) -> ProgrammeRef | None:
        p = obj.programme
        return ProgrammeRef(slug=p.slug, name=p.name) if p else None

    @staticmethod
    def resolve_lead_organisation(obj: Any) -> OrganisationRef | None:
        o = obj.lead_organisation
        return OrganisationRef(slug=o.slug, name=o.name) if o else None

    @staticmethod
    def resolve_version(obj: Any) -> str:
        return version_token(obj)

    @staticmethod
    def resolve_page_url(obj: Any) -> str:
        return str(obj.get_absolute_url())


class MembershipOut(Schema):
    id: int = Field(description="Use it to end the membership.")
    organisation: OrganisationRef
    programme_manager: PersonRef | None
    joined_on: dt.date
    left_on: dt.date | None


class CollaborativeRoleOut(Schema):
    person: PersonRef
    role: str
    role_label: str
    title: str


class WorkstreamOut(Schema):
    slug: str
    name: str
    subtitle: str
    description: str
    goal_statement: str


class ThemeOut(Schema):
    slug: str
    name: str
    description: str
    principles: list[str]


class CollaborativePermissions(Schema):
    view_internals: bool = Field(
        description="Sees member-only details: former members, links to people and organisations."
    )
    change: bool
    manage_members: bool


class CollaborativeDetailOut(CollaborativeOut):
    sponsors: list[OrganisationRef]
    members: list[MembershipOut] = Field(description="Current member organisations.")
    former_members: list[MembershipOut] | None = Field(
        description="Organisations that have left; `null` unless you are a member."
    )
    leads_and_faculty: list[CollaborativeRoleOut]
    workstreams: list[WorkstreamOut]
    themes: list[ThemeOut]
    permissions: CollaborativePermissions


class CollaborativePatch(PatchSchema):
    """Only the fields sent are changed. Same rules as the 'Edit details' page."""

    nullable = frozenset({"version", "started_on", "ends_on"})

    name: str | None = None
    short_name: str | None = None
    kind: CollaborativeKind | None = None
    region: str | None = Field(None, description="An NHS England region code, or empty.")
    purpose: str | None = None
    started_on: dt.date | None = Field(None, description="`null` clears it.")
    ends_on: dt.date | None = Field(None, description="`null` clears it.")
    is_public: bool | None = None
    sponsors: list[str] | None = Field(
        None, description="Slugs of the sponsoring AHSNs; replaces the current list."
    )
    version: str | None = Field(None, description=VERSION_HELP)


class CollaborativeConflictOut(Schema):
    detail: str
    current_version: str
    current: CollaborativeOut


class MembershipIn(InputSchema):
    organisation: str = Field(description="The joining organisation's slug.")
    joined_on: dt.date


class MembershipEndIn(InputSchema):
    left_on: dt.date = Field(description="The date it left; on or after the date it joined.")
