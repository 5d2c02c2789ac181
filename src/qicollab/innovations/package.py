"""The change package file: one JSON document that moves a package between installations.

The format is documented in ``docs/innovations.md`` and described by the JSON Schema in
``docs/change-package.schema.json``. Import reads and checks the whole file first and writes
nothing unless every part is valid: missing or extra fields, a wrong version, an unknown
measure type or value type, a chart that does not suit its values, and a file over
:data:`MAX_BYTES` are each refused with a message naming where the problem is.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction
from django.urls import reverse

from qicollab.accounts.models import Person
from qicollab.core.services import ServiceError, attribute, save_as
from qicollab.core.text import text_problem
from qicollab.innovations.models import Innovation, PackageIdea, PackageMeasure, Stage
from qicollab.innovations.rules import creator_org_ids
from qicollab.innovations.services import DEFINITION_FIELDS, definition_of
from qicollab.measures.models import (
    ALLOWED_CHARTS,
    ChartType,
    Direction,
    Frequency,
    MeasureType,
    ValueType,
)
from qicollab.organisations.models import Collaborative, Organisation
from qicollab.organisations.services import unique_slug

FORMAT = "qicollab.change-package"
VERSION = 1
#: Larger files are refused before they are parsed: a package is text, never this big.
MAX_BYTES = 1024 * 1024
MAX_ITEMS = 200

INNOVATION_FIELDS = (
    "title",
    "problem",
    "change",
    "evidence_summary",
    "cost_effort",
    "helped",
    "hindered",
    "contacts",
    "lived_experience",
    "stage",
)
IDEA_FIELDS = ("text", "description", "primary_driver", "secondary_driver")
TOP_FIELDS = ("format", "version", "source", "innovation", "ideas", "measures")
SOURCE_FIELDS = ("organisation", "collaborative", "url", "exported_at")


class PackageError(ServiceError):
    """The file is not a valid change package; ``errors`` lists every problem found."""


def export_package(
    innovation: Innovation, *, exported_at: str, base_url: str = ""
) -> dict[str, Any]:
    """The innovation's change package as the JSON document of :data:`VERSION`."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "source": {
            "organisation": innovation.organisation.name,
            "collaborative": innovation.collaborative.name,
            "url": base_url + reverse("innovations:innovation_detail", args=[innovation.slug]),
            "exported_at": exported_at,
        },
        "innovation": {name: getattr(innovation, name) for name in INNOVATION_FIELDS},
        "ideas": [{name: getattr(i, name) for name in IDEA_FIELDS} for i in innovation.ideas.all()],
        "measures": [definition_of(m) for m in innovation.measures.all()],
    }


def dumps(document: dict[str, Any]) -> bytes:
    return json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8")


# --- validation --------------------------------------------------------------------------

_MEASURE_CHOICES = {
    "measure_type": MeasureType,
    "value_type": ValueType,
    "frequency": Frequency,
    "chart_type": ChartType,
    "direction": Direction,
}
_MEASURE_LIMITS = {"name": 200, "data_source": 300, "unit": 60}


def _fields(obj: Any, expected: tuple[str, ...], where: str, errors: list[str]) -> bool:
    if not isinstance(obj, dict):
        errors.append(f"{where} must be an object.")
        return False
    missing = [k for k in expected if k not in obj]
    extra = sorted(k for k in obj if k not in expected)
    if missing:
        errors.append(f"{where} is missing: {', '.join(missing)}.")
    if extra:
        errors.append(f"{where} has fields this version does not know: {', '.join(extra)}.")
    return not missing and not extra


def _string(
    value: Any, where: str, errors: list[str], *, limit: int = 5000, required: bool = False
) -> None:
    if not isinstance(value, str):
        errors.append(f"{where} must be text.")
        return
    if required and not value.strip():
        errors.append(f"{where} must not be empty.")
    if len(value) > limit:
        errors.append(f"{where} is longer than {limit:,} characters.")
    problem = text_problem(value, what=where)
    if problem:
        errors.append(problem)


def _measure(m: Any, where: str, errors: list[str]) -> None:
    if not _fields(m, DEFINITION_FIELDS, where, errors):
        return
    for name, choices in _MEASURE_CHOICES.items():
        if m[name] not in choices.values:
            known = ", ".join(choices.values)
            what = "measure type" if name == "measure_type" else name.replace("_", " ")
            errors.append(f"{where}.{name}: unknown {what} {m[name]!r}; expected one of {known}.")
    for name in (
        "name",
        "numerator_definition",
        "denominator_definition",
        "inclusions",
        "exclusions",
        "data_source",
        "unit",
    ):
        _string(
            m[name],
            f"{where}.{name}",
            errors,
            limit=_MEASURE_LIMITS.get(name, 5000),
            required=name == "name",
        )
    both_known = m["value_type"] in ValueType.values and m["chart_type"] in ChartType.values
    if both_known and ChartType(m["chart_type"]) not in ALLOWED_CHARTS[ValueType(m["value_type"])]:
        errors.append(
            f"{where}.chart_type: a {m['chart_type']} chart does not suit {m['value_type']} values."
        )
    rm = m["rate_multiplier"]
    if isinstance(rm, bool) or not isinstance(rm, int) or rm < 1 or rm > 10**9:
        errors.append(f"{where}.rate_multiplier must be a whole number of at least 1.")
    target = m["target"]
    if target is not None and (isinstance(target, bool) or not isinstance(target, (int, float))):
        errors.append(f"{where}.target must be a number or null.")


def parse(data: bytes) -> dict[str, Any]:
    """Read and check a change package file; raises :class:`PackageError` with every problem."""
    if len(data) > MAX_BYTES:
        raise PackageError(
            f"The file is {len(data) / 1024:.0f} KB; a change package can be up to "
            f"{MAX_BYTES // 1024} KB.",
            "file",
        )
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackageError(f"The file is not valid JSON text: {exc}.", "file") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise PackageError(
            f"The file is not a change package: its 'format' must be {FORMAT!r}.", "file"
        )
    if doc.get("version") != VERSION:
        raise PackageError(
            f"The file is change package version {doc.get('version')!r}; this installation "
            f"reads version {VERSION}. Export it again from an installation of the same version.",
            "file",
        )
    errors: list[str] = []
    if _fields(doc, TOP_FIELDS, "The file", errors):
        if _fields(doc["source"], SOURCE_FIELDS, "source", errors):
            for name in SOURCE_FIELDS:
                _string(doc["source"][name], f"source.{name}", errors, limit=500)
        inn = doc["innovation"]
        if _fields(inn, INNOVATION_FIELDS, "innovation", errors):
            for name in INNOVATION_FIELDS:
                _string(
                    inn[name],
                    f"innovation.{name}",
                    errors,
                    limit=200 if name == "title" else 5000,
                    required=name == "title",
                )
            if inn["stage"] not in Stage.values:
                errors.append(
                    f"innovation.stage: unknown stage {inn['stage']!r}; expected one of "
                    f"{', '.join(Stage.values)}."
                )
        for key, check in (("ideas", None), ("measures", _measure)):
            items = doc[key]
            if not isinstance(items, list):
                errors.append(f"{key} must be a list.")
                continue
            if len(items) > MAX_ITEMS:
                errors.append(f"{key} has {len(items)} entries; at most {MAX_ITEMS} are allowed.")
                continue
            for n, item in enumerate(items):
                where = f"{key}[{n}]"
                if check is not None:
                    check(item, where, errors)
                elif _fields(item, IDEA_FIELDS, where, errors):
                    for name in IDEA_FIELDS:
                        _string(
                            item[name],
                            f"{where}.{name}",
                            errors,
                            limit=5000 if name == "description" else 300,
                            required=name == "text",
                        )
    if errors:
        raise PackageError(errors={"file": errors})
    return dict(doc)


@transaction.atomic
def package_import(
    *, actor: Person, collaborative: Collaborative, organisation: Organisation, data: bytes
) -> Innovation:
    """Create an innovation of ``organisation`` from a change package file, or nothing.

    The whole file is checked by :func:`parse` before anything is written. The imported
    innovation has no source project here (its evidence stayed with the other
    installation), is shared with the collaborative and is being tested.
    """
    if organisation.pk not in creator_org_ids(actor) or organisation.pk not in roles_orgs(
        actor, collaborative
    ):
        raise PackageError(
            f"You cannot import a change package for {organisation} in {collaborative}.",
            "organisation",
        )
    doc = parse(data)
    inn = doc["innovation"]
    source = doc["source"]
    innovation = Innovation(
        collaborative=collaborative,
        organisation=organisation,
        created_by=actor,
        **{name: inn[name] for name in INNOVATION_FIELDS},
    )
    innovation.title = " ".join(innovation.title.split())
    if source["url"]:
        innovation.evidence_summary = (
            f"{innovation.evidence_summary}\n\nImported from {source['organisation']} "
            f"({source['collaborative']}): {source['url']}"
        ).strip()
    innovation.slug = unique_slug(Innovation, innovation.title)
    save_as(innovation, actor)
    attribute(innovation, actor)
    for order, idea in enumerate(doc["ideas"], start=1):
        save_as(PackageIdea(innovation=innovation, order=order, **idea), actor)
    for order, m in enumerate(doc["measures"], start=1):
        save_as(PackageMeasure(innovation=innovation, order=order, **m), actor)
    return innovation


def roles_orgs(actor: Person, collaborative: Collaborative) -> frozenset[int]:
    """The member organisations of ``collaborative`` as the actor's roles know them."""
    from qicollab.accounts.roles import roles_for

    return roles_for(actor).collab_org_ids.get(collaborative.pk, frozenset())
