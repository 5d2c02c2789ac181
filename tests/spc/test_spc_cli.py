"""The JSON command line ``python -m qicollab.spc``."""

from __future__ import annotations

import io
import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from qicollab import spc
from qicollab.spc.cli import main, run_json

SRC = str(Path(__file__).resolve().parents[2] / "src")


def cli(payload: str) -> tuple[int, Any]:
    out = io.StringIO()
    code = main([], io.StringIO(payload), out)
    return code, json.loads(out.getvalue())


def test_subprocess_round_trip() -> None:
    env = {**os.environ, "PYTHONPATH": SRC}
    request = {
        "chart": "p",
        "y": [3, 5, None, 4],
        "n": [50, 100, 0, 80],
        "x": ["2024-01-01", "2024-01-08", "2024-01-15", "2024-01-22"],
        "target": 0.2,
        "direction": "decrease",
    }
    done = subprocess.run(
        [sys.executable, "-m", "qicollab.spc"],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out == json.loads(
        json.dumps(
            spc.chart(
                request["y"],
                request["n"],
                chart="p",
                x=request["x"],
                target=0.2,  # type: ignore[arg-type]
                direction="decrease",
            ).to_dict()
        )
    )
    assert out["points"][2]["y"] is None and out["points"][2]["ucl"] is None
    assert set(out) == {"chart", "points", "runs", "variation_icon", "assurance_icon"}
    assert set(out["points"][0]) == {
        "x",
        "y",
        "cl",
        "lcl",
        "ucl",
        "lcl_2s",
        "ucl_2s",
        "phase",
        "excluded",
        "rules",
        "class",
        "side",
    }
    assert out["assurance_icon"] == "pass"


def test_subprocess_error_exit_2() -> None:
    env = {**os.environ, "PYTHONPATH": SRC}
    done = subprocess.run(
        [sys.executable, "-m", "qicollab.spc"],
        input="{not json",
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 2
    assert "not valid JSON" in json.loads(done.stdout)["error"]


def test_batch_array_matches_single_objects() -> None:
    items = [
        {"chart": "i", "y": [1, 3, 2, 5, 4], "id": "a", "phases": [3]},
        {"chart": "xbar", "y": [[1, 2], [3, 4], [2, 2, 5]], "id": 7},
        {"chart": "u", "y": [2, 3, 1], "n": [10.5, 12, 9], "x": ["q1", "q2", "q3"]},
    ]
    code, out = cli(json.dumps(items))
    assert code == 0 and len(out) == 3
    assert out[0]["id"] == "a" and out[1]["id"] == 7 and "id" not in out[2]
    for item, got in zip(items, out, strict=True):
        single = {k: v for k, v in item.items() if k != "id"}
        assert {k: v for k, v in got.items() if k != "id"} == cli(json.dumps(single))[1]
    assert cli("[]") == (0, [])


def test_null_option_means_default() -> None:
    code, out = cli('{"chart": "c", "y": [1, 2, 3], "direction": null, "target": null}')
    assert code == 0 and out["assurance_icon"] is None


def test_single_object_with_id() -> None:
    code, out = cli('{"chart": "c", "y": [1, 2, 3], "id": "ward 4"}')
    assert code == 0 and out["id"] == "ward 4"


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        ('{"chart": "p", "y": [5, 2], "n": [4, 10]}', "greater than the denominator"),
        ('{"chart": "c", "y": [-1, 2]}', "cannot be negative"),
        ('{"chart": "t", "y": [0, 2, 3]}', "greater than zero"),
        ('{"chart": "i", "y": [1, "a", 3]}', "not a number"),
        ('{"chart": "i", "y": [1, 2], "x": ["a"]}', "must line up"),
        ('{"chart": "i", "y": [1, 2, 3], "phases": [9]}', "refers to point 9"),
        ('{"chart": "zz", "y": [1, 2]}', "Unknown chart type"),
        ('{"chart": "i", "y": [1, 2], "colour": "red"}', "unknown key"),
        ('{"chart": "i", "y": [null]}', "needs at least 1"),
        ('{"chart": "i"}', "'y' key is missing"),
        ('{"chart": "i", "y": 5}', "'y' must be a list"),
        ('{"chart": "p", "y": [1], "n": 5}', "'n' must be a list"),
        ('"hello"', "JSON object or an array"),
        ("[1]", "must be a JSON object"),
        (
            '[{"chart": "i", "y": [1, 2], "id": "a"}, {"chart": "i", "y": [1, 2], "id": "a"}]',
            "distinct 'id'",
        ),
        ('[{"chart": "i", "y": [1, 2], "id": [1]}]', "'id' must be"),
        ('[{"chart": "i", "y": [1, 2], "n": [1]}]', "must line up"),
        ('[{"chart": "c", "y": [1, 2], "n": [1, 1]}]', "does not use denominators"),
        ('[{"chart": "q", "y": [1, 2]}]', "Unknown chart type"),
        ('[{"chart": "i", "y": []}]', "has no points"),
        ('{"chart": "i", "y": [1, 2, 3], "rules": "we"}', "Option 'rules'"),
        ('{"chart": "i", "y": [1, 2, 3], "freeze": 0}', "at least 1"),
        ('{"chart": "i", "y": [1, 2, 3], "target": "high"}', "finite number"),
        ('{"chart": "i", "y": [1, 2, 3], "screen_mr": "yes"}', "true or false"),
        ('{"chart": "i", "y": [1, 2, 3], "phases": "3"}', "list of 0-based"),
        ('{"chart": "i", "y": [1, 2, 3], "shift_length": 2.5}', "whole number"),
    ],
)
def test_bad_input_exits_2_with_message(payload: str, fragment: str) -> None:
    code, out = cli(payload)
    assert code == 2
    assert set(out) == {"error"} and fragment in out["error"]


def test_output_never_contains_nan() -> None:
    code, out = cli('{"chart": "run", "y": [1, null, 3]}')
    assert code == 0
    values = [v for p in out["points"] for v in p.values() if isinstance(v, float)]
    assert all(math.isfinite(v) for v in values)


def test_run_json_doc_example() -> None:
    assert run_json({"chart": "c", "y": [1, 2]})["chart"] == "c"
