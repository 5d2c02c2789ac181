"""Writes to the measure library and the measures created from it.

Editing a definition never changes it in place for the projects that use it: it makes a
new version (kept as a :class:`LibraryMeasureVersion`), and each measure created from the
library keeps the version it was created from until its team chooses to follow the newer
one.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from qicollab.accounts.models import Person
from qicollab.core.services import ServiceError, apply_fields, check_version, save_as
from qicollab.core.text import text_problem
from qicollab.measures.models import (
    DEFAULT_CHART,
    DEFINITION_FIELDS,
    LibraryMeasure,
    LibraryMeasureVersion,
    Measure,
    ValueType,
)
from qicollab.organisations.models import Collaborative
from qicollab.projects.models import Project

#: Fields a curator may set (the definition and its description).
LIBRARY_FIELDS = frozenset((*DEFINITION_FIELDS, "description"))
CURATE = "measures.change_librarymeasure"
USE = "projects.change_project"


class LibraryError(ServiceError):
    """A library change that breaks a business rule; ``field`` names its form field."""


def _check_text(data: dict[str, Any]) -> None:
    for name, value in data.items():
        if isinstance(value, str):
            problem = text_problem(value)
            if problem:
                raise LibraryError(problem, name)


def _validate(library_measure: LibraryMeasure) -> None:
    """Turn model validation into one refusal naming every field (keeps what was typed)."""
    try:
        library_measure.full_clean(exclude=["collaborative", "created_by"])
    except ValidationError as exc:
        errors: dict[str | None, list[str]] = {}
        for name, messages in exc.message_dict.items():
            key = None if name == "__all__" else name
            errors.setdefault(key, []).extend(messages)
        raise LibraryError(errors=errors) from exc


def _record_version(library_measure: LibraryMeasure, actor: Person, change_note: str) -> None:
    LibraryMeasureVersion.objects.create(
        library_measure=library_measure,
        number=library_measure.version,
        definition=library_measure.definition(),
        change_note=change_note,
        created_by=actor,
    )


@transaction.atomic
def library_measure_create(
    *, actor: Person, collaborative: Collaborative, data: dict[str, Any], change_note: str = ""
) -> LibraryMeasure:
    """Add a definition to the collaborative's library (version 1)."""
    if not actor.has_perm(CURATE, collaborative):
        raise PermissionDenied
    _check_text(data)
    library_measure = LibraryMeasure(collaborative=collaborative, created_by=actor, version=1)
    apply_fields(library_measure, {k: v for k, v in data.items() if k in LIBRARY_FIELDS})
    if not data.get("chart_type"):
        library_measure.chart_type = DEFAULT_CHART[ValueType(library_measure.value_type)]
    _validate(library_measure)
    save_as(library_measure, actor)
    _record_version(library_measure, actor, change_note or "First version.")
    return library_measure


@transaction.atomic
def library_measure_update(
    *,
    actor: Person,
    library_measure: LibraryMeasure,
    data: dict[str, Any],
    change_note: str = "",
    loaded_version: str = "",
) -> LibraryMeasure:
    """Edit a definition: a change to the definition makes a new version (history kept).

    A change to the description alone is not a new version: it does not change what is
    counted. Raises ``EditConflict`` when someone else saved in between.
    """
    if not actor.has_perm(CURATE, library_measure):
        raise PermissionDenied
    check_version(library_measure, loaded_version)
    _check_text(data)
    changed = apply_fields(library_measure, {k: v for k, v in data.items() if k in LIBRARY_FIELDS})
    if not changed:
        return library_measure
    _validate(library_measure)
    new_version = any(name in DEFINITION_FIELDS for name in changed)
    if new_version:
        if not change_note.strip():
            raise LibraryError(
                "Say what changed and why: projects following this definition will see it.",
                "change_note",
            )
        library_measure.version += 1
    save_as(library_measure, actor)
    if new_version:
        _record_version(library_measure, actor, change_note.strip())
    return library_measure


def _definition_for_project(library_measure: LibraryMeasure) -> dict[str, Any]:
    return {name: getattr(library_measure, name) for name in DEFINITION_FIELDS}


@transaction.atomic
def measure_from_library(
    *, actor: Person, project: Project, library_measure: LibraryMeasure
) -> Measure:
    """Create a project's measure from a library definition (its current version)."""
    if not actor.has_perm(USE, project):
        raise PermissionDenied
    if project.collaborative_id != library_measure.collaborative_id:
        raise LibraryError(
            "This definition belongs to another collaborative's library; a project can use "
            "its own collaborative's definitions only.",
            "project",
        )
    if project.measures.filter(name__iexact=library_measure.name).exists():
        raise LibraryError(
            f"The project already has a measure called '{library_measure.name}'.", "project"
        )
    measure = Measure(
        project=project,
        created_by=actor,
        library_measure=library_measure,
        library_version=library_measure.version,
        order=project.measures.count(),
        **_definition_for_project(library_measure),
    )
    try:
        with transaction.atomic():
            save_as(measure, actor)
    except IntegrityError as exc:  # a second click that raced the first
        raise LibraryError(
            f"The project already has a measure called '{library_measure.name}'.", "project"
        ) from exc
    return measure


@transaction.atomic
def measure_follow_library(*, actor: Person, measure: Measure, loaded_version: str = "") -> Measure:
    """Bring a measure up to its library definition's current version.

    Refused when the new version changes whether there is a denominator or how often data
    is collected and the measure already has data (the recorded data would no longer fit).
    """
    if not actor.has_perm(USE, measure.project):
        raise PermissionDenied
    library_measure = measure.library_measure
    if library_measure is None:
        raise LibraryError("This measure was not created from the measure library.")
    check_version(measure, loaded_version)
    definition = _definition_for_project(library_measure)
    before = (measure.frequency, measure.uses_denominator)
    apply_fields(measure, definition)
    after = (measure.frequency, measure.uses_denominator)
    if before != after and measure.points.exists():
        raise LibraryError(
            "The newer version changes how often data is collected or whether the measure "
            "has a denominator, and this measure already has data. Create a new measure from "
            "the library instead and import the data there."
        )
    measure.library_version = library_measure.version
    save_as(measure, actor)
    return measure
