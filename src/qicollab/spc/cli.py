"""JSON command line: ``python -m qicollab.spc < request.json > result.json``.

Input is one JSON object, or an array of them for a batch. Each object has ``chart``,
``y`` (values, numerators, or subgroups for xbar/s; ``null`` = missing), optional ``n``
(denominators), optional ``x`` (labels or ISO dates), optional ``id`` (echoed back) and
any chart option (``freeze``, ``phases``, ``exclude``, ``direction``, ``target``,
``screen_mr``, ``shift_length``, ``trend_length``, ``rules``, ``xmr_constant``,
``g_centre``). Output is the result object (or array of them) described in
``docs/spc.md``. Bad input exits with status 2 and prints ``{"error": "..."}``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Hashable, Sequence
from typing import Any, TextIO

from .api import chart
from .batch import batch
from .errors import MalformedJsonError, SpcInputError
from .options import OPTION_NAMES
from .prepare import check_lengths
from .types import CHART_TYPES

__all__ = ["main", "run_json"]

_DATA_KEYS = frozenset({"chart", "y", "n", "x", "id"})


def _split(item: object, where: str) -> tuple[dict[str, Any], dict[str, Any]]:
    if not isinstance(item, dict):
        raise MalformedJsonError(f"{where}must be a JSON object with at least 'chart' and 'y'.")
    unknown = sorted(set(item) - _DATA_KEYS - OPTION_NAMES)
    if unknown:
        raise MalformedJsonError(
            f"{where}unknown key(s) {', '.join(map(repr, unknown))}; allowed keys are "
            f"{', '.join(sorted(_DATA_KEYS | OPTION_NAMES))}."
        )
    for key in ("chart", "y"):
        if key not in item:
            raise MalformedJsonError(f"{where}the '{key}' key is missing.")
    if not isinstance(item["y"], list):
        raise MalformedJsonError(f"{where}'y' must be a list.")
    for key in ("n", "x"):
        if item.get(key) is not None and not isinstance(item[key], list):
            raise MalformedJsonError(f"{where}'{key}' must be a list.")
    data = {k: item[k] for k in _DATA_KEYS if k in item}
    opts = {k: v for k, v in item.items() if k in OPTION_NAMES and v is not None}
    return data, opts


def run_json(payload: Any) -> Any:
    """Compute the JSON response for a parsed JSON request (object or array).

    >>> out = run_json({"chart": "c", "y": [3, 5, 4, 6], "x": ["W1", "W2", "W3", "W4"]})
    >>> out["points"][0]["x"], out["points"][0]["cl"], out["variation_icon"]
    ('W1', 4.5, 'common_cause')
    """
    if isinstance(payload, dict):
        data, opts = _split(payload, "The request ")
        result = chart(data["y"], data.get("n"), chart=data["chart"], x=data.get("x"), **opts)
        out = result.to_dict()
        if "id" in data:
            out = {"id": data["id"], **out}
        return out
    if not isinstance(payload, list):
        raise MalformedJsonError("The request must be a JSON object or an array of objects.")
    return _run_batch(payload)


def _run_batch(items: Sequence[Any]) -> list[dict[str, Any]]:
    split = [_split(item, f"Item {pos}: ") for pos, item in enumerate(items)]
    keys: list[Hashable] = []
    for pos, (data, _) in enumerate(split):
        key = data.get("id", pos)
        if not isinstance(key, Hashable) or isinstance(key, (list, dict)):
            raise MalformedJsonError(f"Item {pos}: 'id' must be a string or a number.")
        keys.append(key)
    if len(set(keys)) != len(keys):
        raise MalformedJsonError("Each item of a batch needs a distinct 'id'.")
    ids: list[Hashable] = []
    ys: list[Any] = []
    ns: list[Any] | None = [] if any(d.get("n") is not None for d, _ in split) else None
    xs: list[Any] | None = [] if any(d.get("x") is not None for d, _ in split) else None
    by_series: dict[Hashable, dict[str, Any]] = {}
    for key, (data, opts) in zip(keys, split, strict=True):
        length = len(data["y"])
        if isinstance(data["chart"], str) and data["chart"] in CHART_TYPES:
            check_lengths(data["chart"], length, data.get("n"), data.get("x"), f"Series {key!r}: ")
        ids.extend([key] * length)
        ys.extend(data["y"])
        if ns is not None:
            ns.extend(data.get("n") or [None] * length)
        if xs is not None:
            xs.extend(data.get("x") or list(range(length)))
        by_series[key] = {"chart": data["chart"], **opts}
    result = batch(
        ids,
        ys,
        ns,
        chart={k: v["chart"] for k, v in by_series.items()},
        x=xs,
        options_by_series=by_series,
    )
    out = []
    for key, (data, _) in zip(keys, split, strict=True):
        if key in result:
            body = result[key].to_dict()
        else:  # an empty series: let chart() report why it cannot be drawn
            body = chart(data["y"], data.get("n"), chart=data["chart"]).to_dict()
        out.append({"id": key, **body} if "id" in data else body)
    return out


def main(
    argv: Sequence[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None
) -> int:
    """Entry point of ``python -m qicollab.spc``; returns the exit status (0 or 2)."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    try:
        try:
            payload = json.loads(stdin.read())
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise MalformedJsonError(f"The input is not valid JSON: {exc}.") from exc
        response = run_json(payload)
    except SpcInputError as exc:
        stdout.write(json.dumps({"error": str(exc)}) + "\n")
        return 2
    stdout.write(json.dumps(response, allow_nan=False) + "\n")
    return 0
