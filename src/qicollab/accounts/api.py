"""API routes for people, and ``/api/me``.

Same selectors and rules as the people pages: a person the viewer may not see is 404.
"""

# No "from __future__ import annotations": ninja reads the signatures at import time.

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from qicollab.accounts import selectors
from qicollab.accounts.models import Person
from qicollab.accounts.rules import can_see_lived_experience
from qicollab.accounts.schemas import (
    MeOut,
    MePermissions,
    PersonAffiliationOut,
    PersonCollaborativeRoleOut,
    PersonDetailOut,
    PersonOut,
)
from qicollab.api.pagination import Pages
from qicollab.api.schemas import (
    ErrorOut,
    Extended,
    FieldErrorsOut,
    collaborative_ref,
    organisation_ref,
)
from qicollab.core.http import require

router = Router(tags=["people"])
# Mounted at the API's root so the path is /api/me.
me_router = Router(tags=["people"])


def _person_detail(request: HttpRequest, person: Person, **more: Any) -> Extended:
    visible = can_see_lived_experience(request.user, person)
    return Extended(
        person,
        lived_experience=person.lived_experience if visible else None,
        lived_experience_visible=visible,
        affiliations=[
            PersonAffiliationOut(
                organisation=organisation_ref(a.organisation),  # type: ignore[arg-type]
                role=a.role,
                role_label=a.get_role_display(),
                started_on=a.started_on,
            )
            for a in selectors.person_affiliations(person=person)
        ],
        collaborative_roles=[
            PersonCollaborativeRoleOut(
                collaborative=collaborative_ref(r.collaborative),
                role=r.role,
                role_label=r.get_role_display(),
                title=r.title,
            )
            for r in person.collaborative_roles.select_related("collaborative")
        ],
        **more,
    )


@me_router.get(
    "/me",
    response={200: MeOut, 401: ErrorOut},
    summary="Who am I",
    description=(
        "The person the token or session belongs to: their details, organisations and "
        "roles in collaboratives, and what they may create. A quick way for a script to "
        "check its token works."
    ),
)
def me(request: HttpRequest) -> Any:
    person: Person = request.user  # type: ignore[assignment]
    return MeOut.model_validate(
        _person_detail(
            request,
            person,
            permissions=MePermissions(
                add_organisation=person.has_perm("organisations.add_organisation"),
                add_collaborative=person.has_perm("organisations.add_collaborative"),
            ),
        )
    )


@router.get(
    "",
    response={200: list[PersonOut], 401: ErrorOut, 422: FieldErrorsOut},
    summary="List people",
    description=(
        "People you may see: colleagues in your organisations, the people of the "
        "organisations you coordinate, and the programme managers, leads and faculty of "
        "your collaboratives. `q` searches names and email addresses. Paged."
    ),
)
@paginate(Pages)
def person_list(request: HttpRequest, q: str = "") -> Any:
    return selectors.person_list(viewer=request.user, search=q.strip())


@router.get(
    "/{person_id}",
    response={200: PersonDetailOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Get a person",
    description=(
        "What the person's page shows: contact details, organisations and collaborative "
        "roles. Lived experience is included only for the person themself, the leads of "
        "their collaboratives and national admins (otherwise `null`). 404 if you may not "
        "see the person."
    ),
)
def person_detail(request: HttpRequest, person_id: int) -> Any:
    person = selectors.person_get(viewer=request.user, pk=person_id)
    if person is None:
        raise HttpError(404, f"There is no person {person_id} that you can see.")
    require(request.user, "accounts.view_person", person)
    return PersonDetailOut.model_validate(_person_detail(request, person))
