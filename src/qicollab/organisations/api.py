"""API routes for organisations, collaboratives and memberships.

Each endpoint does what the matching page does, in the same order: find the object through
the viewer-scoped selector (absent or not the viewer's: 404), check the same ``rules``
permission (403), validate with the same form, write through the same service.
"""

# No "from __future__ import annotations": ninja reads the signatures at import time.

import copy
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from qicollab.api.auth import public_auth
from qicollab.api.errors import valid
from qicollab.api.pagination import Pages
from qicollab.api.schemas import (
    ErrorOut,
    Extended,
    FieldErrorsOut,
    collaborative_ref,
    organisation_ref,
    person_ref,
)
from qicollab.api.versions import required_version
from qicollab.core.http import require
from qicollab.core.services import EditConflict, version_token
from qicollab.organisations import selectors, services
from qicollab.organisations.forms import CollaborativeForm, OrganisationForm
from qicollab.organisations.models import (
    Collaborative,
    CollaborativeMembership,
    Organisation,
    OrganisationType,
    Region,
)
from qicollab.organisations.schemas import (
    CollaborativeConflictOut,
    CollaborativeDetailOut,
    CollaborativeOut,
    CollaborativePatch,
    CollaborativePermissions,
    CollaborativeRoleOut,
    MembershipEndIn,
    MembershipIn,
    MembershipOut,
    OrganisationConflictOut,
    OrganisationDetailOut,
    OrganisationIn,
    OrganisationMembershipOut,
    OrganisationOut,
    OrganisationPatch,
    OrganisationPermissions,
    OrganisationPersonOut,
    ThemeOut,
    WorkstreamOut,
)

router = Router(tags=["organisations"])

ORGS = ["organisations"]
COLLABS = ["collaboratives"]

# The answers every endpoint may give besides its success, for the OpenAPI document.
READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: FieldErrorsOut,
}


def _org_or_404(request: HttpRequest, slug: str) -> Organisation:
    # One answer whether it does not exist or is not the viewer's: existence is private.
    org = selectors.organisation_get(viewer=request.user, slug=slug)
    if org is None:
        raise HttpError(404, f"There is no organisation '{slug}' that you can see.")
    return org


def _collab_or_404(request: HttpRequest, slug: str) -> Collaborative:
    collab = selectors.collaborative_get(viewer=request.user, slug=slug)
    if collab is None:
        raise HttpError(404, f"There is no collaborative '{slug}' that you can see.")
    return collab


def _bound(form_class: type[Any], obj: Any, changes: dict[str, Any], **extra: Any) -> Any:
    """A form holding the object's current values with ``changes`` applied (a PATCH).

    The form validates a copy: a ModelForm writes cleaned values onto its instance, and the
    service must compare against the unchanged object to know what really changed.
    """
    data: dict[str, Any] = {}
    for name in form_class._meta.fields:
        value = getattr(obj, name)
        if hasattr(value, "all"):  # many-to-many
            value = [o.pk for o in value.all()]
        data[name] = value
    data.update(changes)
    return form_class(data=data, instance=copy.copy(obj), **extra)


# --- Organisations --------------------------------------------------------------------


class OrganisationFilters(Schema):
    q: str = ""
    org_type: OrganisationType | None = None
    region: Region | None = None


def _organisation_detail(request: HttpRequest, org: Organisation) -> OrganisationDetailOut:
    user = request.user
    return OrganisationDetailOut.model_validate(
        Extended(
            org,
            collaboratives=[
                OrganisationMembershipOut(
                    collaborative=collaborative_ref(m.collaborative),
                    programme_manager=person_ref(m.programme_manager),
                    joined_on=m.joined_on,
                    left_on=m.left_on,
                )
                for m in selectors.organisation_collaboratives(organisation=org)
            ],
            permissions=OrganisationPermissions(
                change=user.has_perm("organisations.change_organisation", org),
                view_people=user.has_perm("organisations.view_organisation_people", org),
                invite=user.has_perm("organisations.invite_to_organisation", org),
            ),
        )
    )


@router.get(
    "/organisations",
    response={200: list[OrganisationOut], 401: ErrorOut, 422: FieldErrorsOut},
    tags=ORGS,
    summary="List organisations",
    description=(
        "Organisations you may open: your own, and the members of your collaboratives. "
        "Filter by `q` (part of the name, or the exact ODS code), `org_type` and `region`. "
        "Paged: `page` (from 1) and `page_size` (up to 100)."
    ),
)
@paginate(Pages)
def organisation_list(request: HttpRequest, filters: Query[OrganisationFilters]) -> Any:
    return selectors.organisation_list(
        viewer=request.user,
        search=filters.q.strip(),
        org_type=filters.org_type.value if filters.org_type else "",
        region=filters.region.value if filters.region else "",
    )


@router.get(
    "/organisations/{slug}",
    response={200: OrganisationDetailOut, **READ_ERRORS},
    tags=ORGS,
    summary="Get an organisation",
    description=(
        "An organisation's details and its collaboratives, as on its page, with what you "
        "may do to it. 404 if it does not exist or is not one you can see."
    ),
)
def organisation_detail(request: HttpRequest, slug: str) -> Any:
    return _organisation_detail(request, _org_or_404(request, slug))


@router.get(
    "/organisations/{slug}/people",
    response={200: list[OrganisationPersonOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    tags=ORGS,
    summary="List an organisation's people",
    description=(
        "Its current staff and partners. Staff lists are private: only the organisation's "
        "own people, the leads and faculty of its collaboratives, and national admins may "
        "see them (403 for others who can see the organisation). Paged."
    ),
)
@paginate(Pages)
def organisation_people(request: HttpRequest, slug: str) -> Any:
    org = _org_or_404(request, slug)
    require(request.user, "organisations.view_organisation_people", org)
    return selectors.organisation_affiliations(organisation=org)


@router.post(
    "/organisations",
    response={201: OrganisationDetailOut, 409: ErrorOut, **WRITE_ERRORS},
    tags=ORGS,
    summary="Add an organisation",
    description=(
        "For national admins and collaborative leads. Checked like the 'Add an "
        "organisation' page: an NHS trust needs a valid ODS code, names and ODS codes must "
        "be unique. Errors come back per field (422)."
    ),
)
def organisation_create(request: HttpRequest, payload: OrganisationIn) -> Any:
    require(request.user, "organisations.add_organisation")
    data = valid(OrganisationForm(data=payload.model_dump(mode="json")))
    org = services.organisation_create(actor=request.user, data=data)  # type: ignore[arg-type]
    return 201, _organisation_detail(request, org)


@router.patch(
    "/organisations/{slug}",
    response={200: OrganisationDetailOut, 409: OrganisationConflictOut, **WRITE_ERRORS},
    tags=ORGS,
    summary="Change an organisation",
    description=(
        "For the organisation's programme managers and national admins. Send only the "
        "fields to change. Send the `version` you read to be protected from overwriting "
        "someone else's change: if it was saved meanwhile you get 409 with the current "
        "record and its version, and nothing is changed."
    ),
)
def organisation_update(request: HttpRequest, slug: str, payload: OrganisationPatch) -> Any:
    org = _org_or_404(request, slug)
    require(request.user, "organisations.change_organisation", org)
    changes = payload.model_dump(mode="json", exclude_unset=True)
    loaded_version = required_version(request, changes.pop("version", None), org)
    data = valid(_bound(OrganisationForm, org, changes))
    try:
        services.organisation_update(
            actor=request.user,  # type: ignore[arg-type]
            organisation=org,
            data=data,
            loaded_version=loaded_version,
        )
    except EditConflict as exc:
        # ``current`` is the model object: the nested schema's resolvers read it.
        return 409, OrganisationConflictOut.model_validate(
            {
                "detail": str(exc) + " Nothing was changed. Check the current record, then "
                "send your change again with its version.",
                "current_version": version_token(exc.current),
                "current": exc.current,
            }
        )
    return 200, _organisation_detail(request, org)


# --- Collaboratives -------------------------------------------------------------------


def _membership(m: CollaborativeMembership, *, internals: bool) -> MembershipOut:
    # The public page names programme managers without linking to them; so does the API.
    return MembershipOut(
        id=m.pk,
        organisation=organisation_ref(m.organisation),  # type: ignore[arg-type]
        programme_manager=person_ref(m.programme_manager, linked=internals),
        joined_on=m.joined_on,
        left_on=m.left_on,
    )


def _collaborative_detail(request: HttpRequest, collab: Collaborative) -> CollaborativeDetailOut:
    user = request.user
    internals = user.has_perm("organisations.view_collaborative_internals", collab)
    structure = selectors.collaborative_with_structure(collaborative=collab)
    former = None
    if internals:
        former = [
            _membership(m, internals=True)
            for m in selectors.collaborative_former_members(collaborative=collab).select_related(
                "programme_manager"
            )
        ]
    return CollaborativeDetailOut.model_validate(
        Extended(
            collab,
            sponsors=[organisation_ref(o) for o in structure.sponsors.all()],
            members=[
                _membership(m, internals=internals)
                for m in selectors.collaborative_members(collaborative=collab)
            ],
            former_members=former,
            leads_and_faculty=[
                CollaborativeRoleOut(
                    person=person_ref(r.person, linked=internals),  # type: ignore[arg-type]
                    role=r.role,
                    role_label=r.get_role_display(),
                    title=r.title,
                )
                for r in selectors.collaborative_people_roles(collaborative=collab)
            ],
            workstreams=[
                WorkstreamOut(
                    slug=w.slug,
                    name=w.name,
                    subtitle=w.subtitle,
                    description=w.description,
                    goal_statement=w.goal_statement,
                )
                for w in structure.workstreams.all()
            ],
            themes=[
                ThemeOut(
                    slug=t.slug,
                    name=t.name,
                    description=t.description,
                    principles=[p.text for p in t.principles.all()],
                )
                for t in structure.themes.all()
            ],
            permissions=CollaborativePermissions(
                view_internals=internals,
                change=user.has_perm("organisations.change_collaborative", collab),
                manage_members=user.has_perm("organisations.manage_collaborative_members", collab),
            ),
        )
    )


@router.get(
    "/collaboratives",
    auth=public_auth,
    response={200: list[CollaborativeOut], 401: ErrorOut},
    tags=COLLABS,
    summary="List collaboratives",
    description=(
        "Public collaboratives, and the private ones you belong to. Like the page, this "
        "needs no login; a wrong or revoked token is still refused (401). Paged."
    ),
)
@paginate(Pages)
def collaborative_list(request: HttpRequest) -> Any:
    return selectors.collaborative_list(viewer=request.user).order_by("name")


@router.get(
    "/collaboratives/{slug}",
    auth=public_auth,
    response={200: CollaborativeDetailOut, **READ_ERRORS},
    tags=COLLABS,
    summary="Get a collaborative",
    description=(
        "What the collaborative's page shows: purpose, member organisations and their "
        "programme managers, leads and faculty, workstreams, and themes with their "
        "principles. Members also get former members and people's ids (links on the "
        "page). A private collaborative you do not belong to answers 404."
    ),
)
def collaborative_detail(request: HttpRequest, slug: str) -> Any:
    return _collaborative_detail(request, _collab_or_404(request, slug))


@router.patch(
    "/collaboratives/{slug}",
    response={200: CollaborativeDetailOut, 409: CollaborativeConflictOut, **WRITE_ERRORS},
    tags=COLLABS,
    summary="Change a collaborative",
    description=(
        "For its leads and national admins. Send only the fields to change; `sponsors` "
        "(AHSN slugs) replaces the list. Send the `version` you read to get 409 instead of "
        "overwriting someone else's change."
    ),
)
def collaborative_update(request: HttpRequest, slug: str, payload: CollaborativePatch) -> Any:
    collab = _collab_or_404(request, slug)
    require(request.user, "organisations.change_collaborative", collab)
    changes = payload.model_dump(mode="json", exclude_unset=True)
    loaded_version = required_version(request, changes.pop("version", None), collab)
    if "sponsors" in changes:
        changes["sponsors"] = _sponsor_pks(changes["sponsors"])
    data = valid(_bound(CollaborativeForm, collab, changes))
    try:
        services.collaborative_update(
            actor=request.user,  # type: ignore[arg-type]
            collaborative=collab,
            data=data,
            loaded_version=loaded_version,
        )
    except EditConflict:
        current = _collab_or_404(request, slug)  # re-read with its member count
        return 409, CollaborativeConflictOut.model_validate(
            {
                "detail": "This collaborative was changed by someone else while you were "
                "editing it. Nothing was changed. Check the current record, then send your "
                "change again with its version.",
                "current_version": version_token(current),
                "current": current,
            }
        )
    return 200, _collaborative_detail(request, _collab_or_404(request, slug))


def _sponsor_pks(slugs: list[str]) -> list[int]:
    """Sponsors by slug; the form's own choices (AHSNs) decide which are allowed."""
    choices = CollaborativeForm().fields["sponsors"].queryset  # type: ignore[attr-defined]
    found = dict(choices.filter(slug__in=slugs).values_list("slug", "pk"))
    unknown = [s for s in slugs if s not in found]
    if unknown:
        raise ValidationError(
            {
                "sponsors": [
                    "Sponsors must be AHSNs (health innovation networks) on qicollab. "
                    f"Not one: {', '.join(unknown)}."
                ]
            }
        )
    return [found[s] for s in slugs]


@router.get(
    "/collaboratives/{slug}/members",
    auth=public_auth,
    response={200: list[MembershipOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    tags=COLLABS,
    summary="List a collaborative's member organisations",
    description=(
        "Current members with their programme managers and the dates they joined. With "
        "`include_former=true`, organisations that have left too (members of the "
        "collaborative only; 403 for others). Paged."
    ),
)
@paginate(Pages)
def membership_list(request: HttpRequest, slug: str, include_former: bool = False) -> Any:
    collab = _collab_or_404(request, slug)
    internals = request.user.has_perm("organisations.view_collaborative_internals", collab)
    rows = list(selectors.collaborative_members(collaborative=collab))
    if include_former:
        if not internals:
            raise HttpError(403, "Former members are shown to members of the collaborative only.")
        rows += selectors.collaborative_former_members(collaborative=collab).select_related(
            "programme_manager"
        )
    return [_membership(m, internals=internals) for m in rows]


@router.post(
    "/collaboratives/{slug}/members",
    response={201: MembershipOut, 409: ErrorOut, **WRITE_ERRORS},
    tags=COLLABS,
    summary="Add a member organisation",
    description=(
        "For the collaborative's leads and national admins: bring an organisation (by "
        "slug) into the collaborative from `joined_on`. 409 if it is already a current "
        "member."
    ),
)
def membership_add(request: HttpRequest, slug: str, payload: MembershipIn) -> Any:
    collab = _collab_or_404(request, slug)
    require(request.user, "organisations.manage_collaborative_members", collab)
    # The page offers every organisation on qicollab (less current members, which the
    # service refuses here with its own message), so the choice is not viewer-scoped.
    org = selectors.organisation_by_slug(slug=payload.organisation)
    if org is None:
        raise ValidationError(
            {"organisation": [f"There is no organisation '{payload.organisation}' on qicollab."]}
        )
    try:
        membership = services.membership_add(
            actor=request.user,  # type: ignore[arg-type]
            collaborative=collab,
            organisation=org,
            joined_on=payload.joined_on,
        )
    except services.MembershipError as exc:
        return 409, ErrorOut(detail=str(exc))
    return 201, _membership(membership, internals=True)


@router.post(
    "/collaboratives/{slug}/members/{membership_id}/end",
    response={200: MembershipOut, 409: ErrorOut, **WRITE_ERRORS},
    tags=COLLABS,
    summary="End an organisation's membership",
    description=(
        "For the collaborative's leads and national admins: record the date a member "
        "organisation left (`left_on`, on or after the date it joined). Its history is "
        "kept. 404 if there is no current membership with this id in the collaborative."
    ),
)
def membership_end(
    request: HttpRequest, slug: str, membership_id: int, payload: MembershipEndIn
) -> Any:
    collab = _collab_or_404(request, slug)
    require(request.user, "organisations.manage_collaborative_members", collab)
    membership = (
        collab.memberships.filter(pk=membership_id, left_on__isnull=True)
        .select_related("organisation", "programme_manager")
        .first()
    )
    if membership is None:
        raise HttpError(404, f"{collab.name} has no current membership {membership_id}.")
    try:
        services.membership_end(
            actor=request.user,  # type: ignore[arg-type]
            membership=membership,
            left_on=payload.left_on,
        )
    except services.MembershipError as exc:
        raise ValidationError({"left_on": [str(exc)]}) from exc
    except ProtectedError:
        return 409, ErrorOut(
            detail="This membership cannot be ended while other records depend on it."
        )
    return 200, _membership(membership, internals=True)
