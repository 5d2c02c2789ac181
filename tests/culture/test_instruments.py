"""The instrument file format: the shipped files load, bad files are refused whole."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from qicollab.culture import instruments, services
from qicollab.culture.instruments import (
    DATA_DIR,
    DEFAULT_FILES,
    InstrumentFileError,
    parse_instrument,
)
from qicollab.culture.models import Domain, Instrument, Item


def _good() -> dict[str, Any]:
    return json.loads((DATA_DIR / "qicollab-team-climate-demo.json").read_text())


def _problems(data: Any) -> list[str]:
    with pytest.raises(InstrumentFileError) as exc:
        parse_instrument(json.dumps(data))
    return exc.value.problems


@pytest.mark.parametrize("name", DEFAULT_FILES)
def test_shipped_files_are_valid(name: str) -> None:
    spec = parse_instrument((DATA_DIR / name).read_text())
    assert spec.licence and spec.source


def test_schema_file_is_json_and_names_the_format() -> None:
    schema = json.loads(instruments.SCHEMA_PATH.read_text())
    assert schema["properties"]["format"]["const"] == instruments.FORMAT


def test_licensed_structure_ships_without_texts() -> None:
    spec = parse_instrument((DATA_DIR / "saq-short-form-structure.json").read_text())
    assert not spec.redistributable
    assert all(i.text == "" for d in spec.domains for i in d.items)
    assert {i.code for d in spec.domains for i in d.items if i.reverse} == {"2", "11"}


def test_missing_items() -> None:
    data = _good()
    data["domains"][0]["items"] = []
    assert any("Missing items" in p and "TEAM" in p for p in _problems(data))


def test_missing_text_in_a_redistributable_instrument() -> None:
    data = _good()
    data["domains"][0]["items"][0]["text"] = ""
    assert any('item "T1" has no text' in p for p in _problems(data))


def test_duplicate_codes() -> None:
    data = _good()
    data["domains"][1]["items"][0]["code"] = "T1"
    data["domains"][2]["code"] = "TEAM"
    problems = _problems(data)
    assert 'Duplicate code: the item code "T1" is used twice' in problems
    assert 'Duplicate code: the domain code "TEAM" is used twice' in problems


def test_reverse_flag_on_unknown_item() -> None:
    data = _good()
    data["reverse_scored"] = ["T3", "Z9"]
    assert _problems(data) == ['Reverse flag on an unknown item: "Z9" is not an item code']


@pytest.mark.parametrize(
    ("scale", "expected"),
    [
        ([{"code": "A", "label": "Yes", "value": 1}], "at least two options"),
        (
            [{"code": "A", "label": "a", "value": 1}, {"code": "A", "label": "b", "value": 2}],
            "used twice",
        ),
        (
            [{"code": "A", "label": "a", "value": 1}, {"code": "B", "label": "b", "value": 3}],
            "consecutive",
        ),
        (
            [{"code": "A", "label": "a", "value": 1}, {"code": "B", "label": "b", "value": "2"}],
            "whole-number",
        ),
        ("1-5", "must be a list"),
    ],
)
def test_bad_scale(scale: Any, expected: str) -> None:
    data = _good()
    data["scale"] = scale
    assert any(p.startswith("Bad scale") and expected in p for p in _problems(data))


def test_not_json_and_wrong_format() -> None:
    with pytest.raises(InstrumentFileError, match="not valid JSON"):
        parse_instrument("{nope")
    assert any("format" in p for p in _problems({**_good(), "format": "other/2"}))


def test_every_problem_reported_at_once() -> None:
    data = _good()
    data["reverse_scored"] = ["Q"]
    data["domains"][0]["items"] = []
    data["scale"] = []
    assert len(_problems(data)) >= 3


@pytest.mark.django_db
def test_load_is_all_or_nothing_and_versions_are_immutable() -> None:
    text = (DATA_DIR / "qicollab-team-climate-demo.json").read_text()
    inst = services.instrument_load(actor=None, text=text)
    assert inst.domains.count() == 4 and inst.items.count() == 17
    assert inst.items.get(code="T3").reverse
    with pytest.raises(services.CultureError, match="already loaded"):
        services.instrument_load(actor=None, text=text)
    bad = _good()
    bad["code"] = "other"
    bad["reverse_scored"] = ["nope"]
    with pytest.raises(InstrumentFileError):
        services.instrument_load(actor=None, text=json.dumps(bad))
    assert (
        Instrument.objects.count() == 1
        and Domain.objects.count() == 4
        and Item.objects.count() == 17
    )


@pytest.mark.django_db
def test_licensed_texts_load_from_a_file_all_or_nothing() -> None:
    text = (DATA_DIR / "saq-short-form-structure.json").read_text()
    inst = services.instrument_load(actor=None, text=text)
    assert not services.instrument_ready(inst)
    codes = list(inst.items.values_list("code", flat=True))
    texts = {
        "format": instruments.TEXTS_FORMAT,
        "instrument": inst.code,
        "version": inst.version,
        "items": {c: f"Licensed text {c}" for c in codes[:-1]},
    }
    with pytest.raises(InstrumentFileError, match="Missing items"):
        services.instrument_load_texts(actor=None, instrument=inst, text=json.dumps(texts))
    assert not inst.items.exclude(text="").exists()
    texts["items"][codes[-1]] = "Last"
    texts["items"]["99"] = "Unknown"
    with pytest.raises(InstrumentFileError, match="Unknown item"):
        services.instrument_load_texts(actor=None, instrument=inst, text=json.dumps(texts))
    del texts["items"]["99"]
    assert services.instrument_load_texts(
        actor=None, instrument=inst, text=json.dumps(texts)
    ) == len(codes)
    assert services.instrument_ready(inst)
    # The provenance copy never keeps licensed wording.
    assert "Licensed text" not in json.dumps(Instrument.objects.get(pk=inst.pk).definition)


@pytest.mark.django_db
def test_management_command(tmp_path: Any) -> None:
    call_command("culture_load_instrument", "--defaults")
    assert Instrument.objects.count() == len(DEFAULT_FILES)
    call_command("culture_load_instrument", "--defaults")  # idempotent
    assert Instrument.objects.count() == len(DEFAULT_FILES)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**_good(), "code": "x", "reverse_scored": ["nope"]}))
    with pytest.raises(CommandError, match="unknown item"):
        call_command("culture_load_instrument", str(bad))
