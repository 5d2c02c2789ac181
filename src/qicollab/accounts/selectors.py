"""Reads of people and tokens, scoped by the viewer's roles."""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone

from qicollab.accounts.models import (
    ApiToken,
    CalendarFeedToken,
    Invitation,
    InvitationKind,
    Person,
    hash_token,
)
from qicollab.accounts.roles import roles_for
from qicollab.organisations.models import (
    Affiliation,
    AffiliationRole,
    Collaborative,
    Organisation,
)


def person_list(*, viewer: Any, search: str = "") -> QuerySet[Person]:
    """People the viewer may see (mirrors ``accounts.rules.can_view_person``)."""
    r = roles_for(viewer)
    qs = Person.objects.filter(is_active=True)
    if not r.is_authenticated:
        return qs.none()
    if not r.is_superuser:
        colleagues = r.own_org_ids | r.coordinated_org_ids
        qs = qs.filter(
            Q(pk=r.person_id)
            | Q(affiliations__organisation_id__in=colleagues, affiliations__ended_on__isnull=True)
            | Q(
                affiliations__organisation_id__in=r.visible_org_ids,
                affiliations__role=AffiliationRole.PROGRAMME_MANAGER,
                affiliations__ended_on__isnull=True,
            )
            | Q(collaborative_roles__collaborative_id__in=r.visible_collab_ids)
        ).distinct()
    if search:
        qs = qs.filter(Q(full_name__icontains=search) | Q(email__icontains=search))
    return with_lived_experience_visibility(qs, viewer=viewer).order_by("full_name")


def lived_experience_visible_q(*, viewer: Any) -> Q:
    """People whose lived experience ``viewer`` may know, as a filter.

    The SQL mirror of :func:`qicollab.accounts.rules.can_see_lived_experience` (the person,
    the leads and admins of their collaboratives, superusers), for lists, admin filters and
    exports, so that no surface can answer the question differently.
    """
    r = roles_for(viewer)
    if not r.is_authenticated:
        return Q(pk__in=[])
    if r.is_superuser:
        return Q(pk__isnull=False)
    today = timezone.localdate()
    led = (
        Affiliation.objects.filter(organisation_id__in=r.orgs_in(r.managing_collab_ids))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .values("person_id")
    )
    return Q(pk=r.person_id) | Q(pk__in=led)


def with_lived_experience_visibility(qs: QuerySet[Person], *, viewer: Any) -> QuerySet[Person]:
    """Annotate ``lived_experience_visible``: may ``viewer`` know this person's lived experience."""
    return qs.annotate(
        lived_experience_visible=Case(
            When(lived_experience_visible_q(viewer=viewer), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def person_get(*, viewer: Any, pk: int) -> Person | None:
    return person_list(viewer=viewer).filter(pk=pk).first()


def person_affiliations(*, person: Person) -> QuerySet[Any]:
    return person.affiliations.filter(ended_on__isnull=True).select_related("organisation")


def api_token_list(*, person: Person) -> QuerySet[ApiToken]:
    return person.api_tokens.all()


def calendar_token_active(*, person: Person) -> CalendarFeedToken | None:
    return person.calendar_tokens.filter(revoked_at__isnull=True).first()


def calendar_token_find(raw: str) -> CalendarFeedToken | None:
    """The working calendar link with this key, of an active person; ``None`` otherwise.

    Only calendar links match: an API token (or anything else) never does.
    """
    if not raw.startswith(CalendarFeedToken.PREFIX) or len(raw) > 100:
        return None
    return (
        CalendarFeedToken.objects.select_related("person")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True, person__is_active=True)
        .first()
    )


def invitation_list(*, organisation: Organisation) -> QuerySet[Invitation]:
    return organisation.invitations.select_related("invited_by", "collaborative", "accepted_by")


def invitation_by_token(*, token: str) -> Invitation | None:
    """The invitation a link's token belongs to (only hashes are stored)."""
    return (
        Invitation.objects.select_related("organisation", "collaborative", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )


def collaborative_invitation_list(*, collaborative: Collaborative) -> QuerySet[Invitation]:
    """Invitations that bring organisations into ``collaborative``."""
    return collaborative.invitations.filter(kind=InvitationKind.ORGANISATION).select_related(
        "invited_by", "organisation", "accepted_by"
    )


def invitation_get(*, viewer: Any, pk: int) -> Invitation | None:
    """An invitation about an organisation or collaborative the viewer can see, else ``None``.

    Seeing it is not managing it: callers still check the invite permission (403).
    """
    r = roles_for(viewer)
    qs = Invitation.objects.select_related("organisation", "collaborative")
    if not r.is_superuser:
        qs = qs.filter(
            Q(kind=InvitationKind.STAFF, organisation_id__in=r.visible_org_ids)
            | Q(kind=InvitationKind.ORGANISATION, collaborative_id__in=r.visible_collab_ids)
        )
    return qs.filter(pk=pk).first()
