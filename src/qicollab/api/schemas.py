"""Schemas shared by every router: short references to other objects, and error bodies.

References live here rather than in the apps because people point at organisations and
organisations at people; keeping the small shapes in one module avoids circular imports.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Any, ClassVar

from ninja import Field, Schema
from pydantic import ConfigDict, ValidationInfo, field_validator

from qicollab.core.text import text_problem

#: The largest integer the databases store (a signed 64-bit column); larger ids cannot exist.
MAX_INT = 2**63 - 1


def unsafe_text(data: Any, loc: tuple[str | int, ...]) -> list[dict[str, Any]]:
    """Every string in ``data`` (keys included) that cannot be stored, as validation errors.

    Errors use ninja's shape for 422 answers: ``{"loc": [...], "msg": ..., "type": ...}``.
    """
    found: list[dict[str, Any]] = []
    if isinstance(data, str):
        problem = text_problem(data)
        if problem:
            found.append({"loc": list(loc), "msg": problem, "type": "unsafe_text"})
    elif isinstance(data, dict):
        for key, value in data.items():
            found += unsafe_text(key, (*loc, "<key>"))
            found += unsafe_text(value, (*loc, str(key)))
    elif isinstance(data, list | tuple):
        for i, value in enumerate(data):
            found += unsafe_text(value, (*loc, i))
    return found


class UnsafeInput(Exception):
    """Text in a request that cannot be stored; the API answers 422 with each location."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(errors[0]["msg"])
        self.errors = errors


def _allows(annotation: Any, kind: type) -> bool:
    """Whether a field's type is ``kind`` or a union with it (``bool | None``)."""
    if annotation is kind:
        return True
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return any(_allows(a, kind) for a in typing.get_args(annotation))
    return False


def _too_large(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) > MAX_INT
    if isinstance(value, list | tuple | set):
        return any(_too_large(v) for v in value)
    return False


class InputSchema(Schema):
    """Base for request bodies: trims text as the forms do, and refuses unknown fields.

    A misspelt field name is refused (422) instead of being silently ignored, so a script
    never believes it changed something it did not. Types are checked strictly where lax
    parsing would mislead or crash: a true/false field takes only ``true`` or ``false``
    (not ``{}``, ``"no"`` or ``0``), a date only text (not a number of seconds), and no
    integer may exceed what the database can hold.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _strict_scalars(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        if field is None or value is None:
            return value
        if _allows(field.annotation, bool) and not isinstance(value, bool):
            raise ValueError("Send true or false.")
        # pydantic would read a number as seconds since 1970: 0 became 1 January 1970.
        if _allows(field.annotation, dt.date) and not isinstance(value, str | dt.date):
            raise ValueError("Send a date as text, YYYY-MM-DD.")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _bounded_int(cls, value: Any) -> Any:
        if _too_large(value):
            raise ValueError(f"Numbers here must lie between -{MAX_INT} and {MAX_INT}.")
        return value


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


class SchemaErrorOut(Schema):
    """One error in a request's shape: where (``loc``, e.g. ``["body", "payload", "name"]``),
    why (``msg``) and a machine-readable ``type``."""

    model_config = ConfigDict(extra="allow")

    loc: list[str | int]
    msg: str
    type: str


class FieldErrorsOut(Schema):
    """Validation failed (422). ``detail`` is one of two shapes:

    - an object of messages per field (``__all__`` for the request as a whole), when the
      request had the right shape but a value was refused by the same checks as the pages;
    - a list of schema errors (wrong type, missing or unknown field, text that cannot be
      stored), each with its location;
    - a sentence, where the request as a whole cannot be used.
    """

    detail: str | dict[str, list[str]] | list[SchemaErrorOut]


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
