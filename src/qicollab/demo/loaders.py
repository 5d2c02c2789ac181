"""Typed loaders for the demo's prose, kept as JSON under ``demo/data/``.

The long texts (project write-ups, PDSA cycles, measure definitions) are data, not code:
they live in JSON files and are read back into the frozen dataclasses the demo steps use.
``load_specs`` checks each value against the dataclass's type hints as it builds it, so a
mistyped or misspelt field in a data file fails loudly on import rather than seeding odd data.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

DATA_DIR = Path(__file__).resolve().parent / "data"

T = TypeVar("T")


class DemoDataError(ValueError):
    """A demo data file does not match the dataclass it is loaded into."""


@cache
def read_json(name: str) -> Any:
    """The parsed contents of ``demo/data/<name>`` (read once per process)."""
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        return json.load(fh)


def load_specs(cls: type[T], name: str) -> tuple[T, ...]:
    """Every item of the JSON list in ``demo/data/<name>``, built as ``cls``."""
    raw = read_json(name)
    if not isinstance(raw, list):
        raise DemoDataError(f"{name}: expected a list of {cls.__name__} objects")
    return tuple(build(cls, item, f"{name}[{i}]") for i, item in enumerate(raw))


def build(tp: Any, value: Any, where: str) -> Any:
    """``value`` (parsed JSON) converted to the type ``tp``; ``where`` names it in errors."""
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return _build_dataclass(tp, value, where)
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        (inner,) = (a for a in args if a is not type(None))
        return build(inner, value, where)
    if origin is tuple:
        if not isinstance(value, list):
            raise DemoDataError(f"{where}: expected a list, got {value!r}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(build(args[0], v, f"{where}[{i}]") for i, v in enumerate(value))
        if len(args) != len(value):
            raise DemoDataError(f"{where}: expected {len(args)} items, got {len(value)}")
        pairs = enumerate(zip(args, value, strict=True))
        return tuple(build(a, v, f"{where}[{i}]") for i, (a, v) in pairs)
    if origin is dict:
        if not isinstance(value, dict):
            raise DemoDataError(f"{where}: expected an object, got {value!r}")
        key_type, value_type = args
        # JSON keys are always strings: convert them back (e.g. element indexes).
        return {key_type(k): build(value_type, v, f"{where}[{k}]") for k, v in value.items()}
    return _build_scalar(tp, value, where)


def _build_dataclass(cls: type[T], value: Any, where: str) -> T:
    if not isinstance(value, dict):
        raise DemoDataError(f"{where}: expected an object for {cls.__name__}, got {value!r}")
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = set(value) - names
    if unknown:
        raise DemoDataError(f"{where}: unknown fields for {cls.__name__}: {sorted(unknown)}")
    kwargs = {k: build(hints[k], v, f"{where}.{k}") for k, v in value.items()}
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise DemoDataError(f"{where}: {exc}") from exc


def _build_scalar(tp: Any, value: Any, where: str) -> Any:
    # bool is a subclass of int: check it first so true is never read as 1.
    if tp is bool:
        ok = isinstance(value, bool)
    elif tp is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif tp is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif tp is str:
        ok = isinstance(value, str)
    else:
        raise DemoDataError(f"{where}: unsupported type {tp!r}")
    if not ok:
        raise DemoDataError(f"{where}: expected {tp.__name__}, got {value!r}")
    return value
