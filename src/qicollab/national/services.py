"""Writes of the national app: recording a designation."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from qicollab.core.services import save_as
from qicollab.national import selectors
from qicollab.national.models import Designation
from qicollab.organisations.models import Collaborative, Organisation


@transaction.atomic
def designation_create(
    *,
    actor: Any,
    collaborative: Collaborative,
    person: Any,
    organisation: Organisation,
    kind: str,
    designated_on: date,
    note: str = "",
) -> Designation:
    """Record that ``person`` was designated as ``kind`` at ``organisation``.

    Only the organisation's programme manager, the collaborative's leads and the
    programme's national admins may record one, and only at a member organisation.
    """
    allowed = selectors.designation_organisations(viewer=actor, collaborative=collaborative)
    if not allowed.filter(pk=organisation.pk).exists():
        raise PermissionDenied("You cannot record designations for this organisation.")
    if designated_on > selectors.today():
        raise ValidationError({"designated_on": "The date designated cannot be in the future."})
    if Designation.objects.filter(person=person, collaborative=collaborative, kind=kind).exists():
        raise ValidationError(
            {"email": "This person is already designated as this in this collaborative."}
        )
    designation = Designation(
        person=person,
        organisation=organisation,
        collaborative=collaborative,
        kind=kind,
        designated_on=designated_on,
        note=note,
        created_by=actor,
    )
    save_as(designation, actor)
    return designation
