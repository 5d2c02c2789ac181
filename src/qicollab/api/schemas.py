"""Schemas shared by every router: short references to other objects, and error bodies.

References live here rather than in the apps because people point at organisations and
organisations at people; keeping the small shapes in one module avoids circular imports.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ninja import Field, Schema
from pydantic import ConfigDict, ValidationInfo, field_validator


class InputSchema(Schema):
    """Base for request bodies: trims text as the forms do, and refuses unknown fields.

    A misspelt field name is refused (422) instead of being silently ignored, so a script
    never believes it changed something it did not.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PatchSchema(InputSchema):
    """Base for PATCH bodies: every field optional, and only the fields sent are changed.

    Fields are typed ``X | None`` so that they can be left out, but an explicit ``null`` is
    refused unless the field is listed in ``nullable``: it would otherwise be ambiguous
    ("clear it" or "leave it"?), and most of these fields cannot be empty.
    """

    nullable: ClassVar[frozenset[str]] = frozenset({"version"})

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.nullable:
            raise ValueError(
                'null is not allowed here: leave the field out to keep its value, or send "" '
                "to clear a text field."
            )
        return value


class ErrorOut(Schema):
    """Every 4xx answer carries a reason in ``detail``."""

    detail: str = Field(description="Why the request was refused, in plain English.")


class FieldErrorsOut(Schema):
    """Validation failed: messages per field (``__all__`` for the form as a whole).

    Schema errors (wrong type, missing field) use ninja's list format instead:
    ``[{"loc": [...], "msg": "...", "type": "..."}]``.
    """

    detail: dict[str, list[str]] | list[dict[str, Any]]


class OrganisationRef(Schema):
    slug: str
    name: str


class CollaborativeRef(Schema):
    slug: str
    name: str


class PersonRef(Schema):
    """A person named on a page. ``id`` is ``null`` where the page shows the name without a
    link to the person's profile (for example on a collaborative's public page)."""

    id: int | None
    full_name: str


class Extended:
    """``obj`` with some attributes added or replaced, for validating a schema from it.

    Detail schemas extend list schemas whose resolvers read the model object, so they are
    built from the object itself (plus the extra, permission-dependent parts) rather than
    from a dict, which the resolvers could not read.
    """

    def __init__(self, obj: Any, **extra: Any) -> None:
        self._obj = obj
        self._extra = extra

    def __getattr__(self, name: str) -> Any:
        extra = self.__dict__.get("_extra", {})
        if name in extra:
            return extra[name]
        return getattr(self.__dict__["_obj"], name)


def person_ref(person: Any, *, linked: bool = True) -> PersonRef | None:
    if person is None:
        return None
    return PersonRef(id=person.pk if linked else None, full_name=person.full_name)


def organisation_ref(org: Any) -> OrganisationRef | None:
    if org is None:
        return None
    return OrganisationRef(slug=org.slug, name=org.name)


def collaborative_ref(collab: Any) -> CollaborativeRef:
    return CollaborativeRef(slug=collab.slug, name=collab.name)
