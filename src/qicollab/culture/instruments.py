"""Instrument files: the JSON format, its validation and the all-or-nothing loader.

The format is documented in docs/culture.md and described by
``data/instrument.schema.json`` (JSON Schema 2020-12). :func:`parse_instrument` checks a file
completely and returns every problem at once (a missing item list, a duplicate code, a
reverse flag on an unknown item, a bad scale...); :func:`qicollab.culture.services.instrument_load`
writes it only if there is none. Licensed instruments ship without their item texts; a
licence holder loads them from a texts file (:func:`parse_texts`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qicollab.core.services import ServiceError
from qicollab.core.text import text_problem

FORMAT = "qicollab-culture-instrument/1"
TEXTS_FORMAT = "qicollab-culture-texts/1"
DATA_DIR = Path(__file__).resolve().parent / "data" / "instruments"
SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "instrument.schema.json"
#: The instruments loaded by ``culture_load_instrument --defaults`` and the demo.
DEFAULT_FILES = (
    "saq-short-form-structure.json",
    "qicollab-team-climate-demo.json",
    "qicollab-team-reflection-demo.json",
)


class InstrumentFileError(ServiceError):
    """An instrument or texts file that cannot be loaded; ``errors`` lists every problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems), field="file", errors={"file": list(problems)})
        self.problems = problems


@dataclass(frozen=True)
class ItemSpec:
    code: str
    text: str
    reverse: bool


@dataclass(frozen=True)
class DomainSpec:
    code: str
    name: str
    report: str
    cutoff: float | None
    min_items: int
    items: tuple[ItemSpec, ...]


@dataclass(frozen=True)
class InstrumentSpec:
    code: str
    version: str
    name: str
    kind: str
    description: str
    licence: str
    redistributable: bool
    source: str
    scale: tuple[dict[str, Any], ...]
    positive_at: float
    negative_at: float
    domains: tuple[DomainSpec, ...]
    raw: dict[str, Any] = field(default_factory=dict)


def _load_json(text: str | bytes) -> Any:
    try:
        return json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InstrumentFileError([f"The file is not valid JSON: {exc}"]) from exc


def _str(
    d: dict[str, Any], key: str, where: str, problems: list[str], *, blank: bool = False
) -> str:
    v = d.get(key, "" if blank else None)
    if not isinstance(v, str) or (not blank and not v.strip()):
        problems.append(f'{where}: "{key}" must be {"text" if blank else "non-empty text"}')
        return ""
    bad = text_problem(v, what=f'{where}: "{key}"')
    if bad:
        problems.append(bad)
        return ""
    return v.strip()


def _scale(raw: Any, problems: list[str]) -> tuple[dict[str, Any], ...]:
    if not isinstance(raw, list) or not raw:
        problems.append('Bad scale: "scale" must be a list of options')
        return ()
    out: list[dict[str, Any]] = []
    codes: set[str] = set()
    values: list[int] = []
    for i, opt in enumerate(raw, 1):
        if not isinstance(opt, dict):
            problems.append(f"Bad scale: option {i} must be an object")
            continue
        code, label, value = opt.get("code"), opt.get("label"), opt.get("value", "missing")
        if not isinstance(code, str) or not code:
            problems.append(f"Bad scale: option {i} has no code")
            continue
        if code in codes:
            problems.append(f'Bad scale: the code "{code}" is used twice')
        codes.add(code)
        if not isinstance(label, str) or not label.strip():
            problems.append(f'Bad scale: option "{code}" has no label')
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            problems.append(
                f'Bad scale: option "{code}" must have a whole-number value, or null for '
                "an answer that is not scored (such as Not applicable)"
            )
            continue
        if value is not None:
            values.append(value)
        out.append({"code": code, "label": str(label or "").strip(), "value": value})
    if len(values) != len(set(values)):
        problems.append("Bad scale: two options have the same value")
    elif len(values) < 2:
        problems.append("Bad scale: at least two options must have a value")
    elif sorted(values) != list(range(min(values), max(values) + 1)):
        problems.append(
            f"Bad scale: the values must be consecutive whole numbers (got {sorted(values)})"
        )
    return tuple(out)


def parse_instrument(text: str | bytes) -> InstrumentSpec:
    """Check an instrument file; raise :class:`InstrumentFileError` listing every problem."""
    data = _load_json(text)
    if not isinstance(data, dict):
        raise InstrumentFileError(["The file must hold one JSON object"])
    problems: list[str] = []
    if data.get("format") != FORMAT:
        problems.append(f'"format" must be "{FORMAT}"')
    code = _str(data, "code", "Instrument", problems)
    version = _str(data, "version", "Instrument", problems)
    name = _str(data, "name", "Instrument", problems)
    kind = data.get("kind")
    if kind not in ("survey", "reflection"):
        problems.append('Instrument: "kind" must be "survey" or "reflection"')
    licence = data.get("licence")
    if not isinstance(licence, dict):
        problems.append('Instrument: "licence" must say the licence ({"text", "redistributable"})')
        licence = {}
    licence_text = _str(licence, "text", "Licence", problems)
    redistributable = licence.get("redistributable")
    if not isinstance(redistributable, bool):
        problems.append('Licence: "redistributable" must be true or false')
        redistributable = False
    source = _str(data, "source", "Instrument", problems)
    scale = _scale(data.get("scale"), problems)
    scoring = data.get("scoring", {})
    if not isinstance(scoring, dict):
        problems.append('"scoring" must be an object')
        scoring = {}
    positive_at = scoring.get("positive_at", 75)
    negative_at = scoring.get("negative_at", 25)
    for key, v in (("positive_at", positive_at), ("negative_at", negative_at)):
        if isinstance(v, bool) or not isinstance(v, int | float) or not 0 <= v <= 100:
            problems.append(f'Scoring: "{key}" must be a number from 0 to 100')
    if not problems and negative_at >= positive_at:
        problems.append('Scoring: "negative_at" must be below "positive_at"')

    domains: list[DomainSpec] = []
    item_codes: set[str] = set()
    domain_codes: set[str] = set()
    raw_domains = data.get("domains")
    if not isinstance(raw_domains, list) or not raw_domains:
        problems.append('Missing items: "domains" must list at least one domain with its items')
        raw_domains = []
    reverse_list = data.get("reverse_scored", [])
    if not isinstance(reverse_list, list) or not all(isinstance(c, str) for c in reverse_list):
        problems.append('"reverse_scored" must be a list of item codes')
        reverse_list = []
    reverse = set(reverse_list)
    for i, d in enumerate(raw_domains, 1):
        if not isinstance(d, dict):
            problems.append(f"Domain {i} must be an object")
            continue
        dcode = _str(d, "code", f"Domain {i}", problems)
        where = f'Domain "{dcode or i}"'
        if dcode in domain_codes:
            problems.append(f'Duplicate code: the domain code "{dcode}" is used twice')
        domain_codes.add(dcode)
        dname = _str(d, "name", where, problems)
        report = d.get("report", "positive")
        cutoff = d.get("cutoff")
        if report not in ("positive", "cutoff"):
            problems.append(f'{where}: "report" must be "positive" or "cutoff"')
        if report == "cutoff" and (
            isinstance(cutoff, bool)
            or not isinstance(cutoff, int | float)
            or not 0 <= cutoff <= 100
        ):
            problems.append(f'{where}: a cut-off domain needs "cutoff", a number from 0 to 100')
        items_raw = d.get("items")
        if not isinstance(items_raw, list) or not items_raw:
            problems.append(f"Missing items: {where} has no items")
            items_raw = []
        items: list[ItemSpec] = []
        for j, it in enumerate(items_raw, 1):
            if not isinstance(it, dict):
                problems.append(f"{where}: item {j} must be an object")
                continue
            icode = _str(it, "code", f"{where}, item {j}", problems)
            if icode in item_codes:
                problems.append(f'Duplicate code: the item code "{icode}" is used twice')
            item_codes.add(icode)
            itext = _str(it, "text", f'Item "{icode}"', problems, blank=True)
            if redistributable and not itext:
                problems.append(
                    f'Missing items: item "{icode}" has no text (only an instrument that may '
                    "not be redistributed ships without its texts)"
                )
            items.append(ItemSpec(icode, itext, icode in reverse))
        min_items = d.get("min_items", max(1, (len(items) + 1) // 2))
        if isinstance(min_items, bool) or not isinstance(min_items, int) or min_items < 1:
            problems.append(f'{where}: "min_items" must be a whole number of at least 1')
            min_items = 1
        elif items and min_items > len(items):
            problems.append(
                f'{where}: "min_items" ({min_items}) is more than its {len(items)} items'
            )
        domains.append(
            DomainSpec(
                dcode,
                dname,
                str(report),
                float(cutoff) if isinstance(cutoff, int | float) and report == "cutoff" else None,
                int(min_items),
                tuple(items),
            )
        )
    problems.extend(
        f'Reverse flag on an unknown item: "{unknown}" is not an item code'
        for unknown in sorted(reverse - item_codes)
    )
    if problems:
        raise InstrumentFileError(problems)
    return InstrumentSpec(
        code=code,
        version=version,
        name=name,
        kind=str(kind),
        description=str(data.get("description", "")),
        licence=licence_text,
        redistributable=bool(redistributable),
        source=source,
        scale=scale,
        positive_at=float(positive_at),
        negative_at=float(negative_at),
        domains=tuple(domains),
        raw=data,
    )


@dataclass(frozen=True)
class TextsSpec:
    code: str
    version: str
    texts: dict[str, str]


def parse_texts(text: str | bytes, *, item_codes: set[str]) -> TextsSpec:
    """Check a licensed texts file against the instrument's item codes (every one, no other)."""
    data = _load_json(text)
    if not isinstance(data, dict):
        raise InstrumentFileError(["The texts file must hold one JSON object"])
    problems: list[str] = []
    if data.get("format") != TEXTS_FORMAT:
        problems.append(f'"format" must be "{TEXTS_FORMAT}"')
    code = _str(data, "instrument", "Texts file", problems)
    version = _str(data, "version", "Texts file", problems)
    raw = data.get("items")
    texts: dict[str, str] = {}
    if not isinstance(raw, dict):
        problems.append('"items" must map each item code to its text')
        raw = {}
    for icode, itext in raw.items():
        if icode not in item_codes:
            problems.append(f'Unknown item: "{icode}" is not an item of this instrument')
        elif not isinstance(itext, str) or not itext.strip():
            problems.append(f'Missing items: item "{icode}" has no text')
        elif bad := text_problem(itext, what=f'Item "{icode}"'):
            problems.append(bad)
        else:
            texts[icode] = itext.strip()
    problems.extend(
        f'Missing items: item "{missing}" has no text in the file'
        for missing in sorted(item_codes - set(raw), key=_natural)
    )
    if problems:
        raise InstrumentFileError(problems)
    return TextsSpec(code, version, texts)


def _natural(code: str) -> tuple[int, str]:
    return (int(code), "") if code.isdigit() else (10**9, code)
