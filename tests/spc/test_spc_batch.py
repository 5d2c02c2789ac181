"""``batch()``: long format, grouping, options per series, equality with ``chart()``."""

from __future__ import annotations

import numpy as np
import pytest

from qicollab import spc


def test_batch_equals_chart_mixed_types() -> None:
    rng = np.random.default_rng(7)
    kinds = ["run", "i", "mr", "p", "pp", "u", "up", "c", "g", "t"]
    ids, ys, ns = [], [], []
    expected = {}
    for s in range(40):
        kind = kinds[s % len(kinds)]
        length = 12 + s % 5
        y = rng.poisson(8, length).astype(float) + 1
        n = y + rng.integers(5, 60, length)
        ids += [f"s{s}"] * length
        ys += y.tolist()
        ns += n.tolist()
        use_n = kind in ("p", "pp", "u", "up", "run", "i", "mr")
        expected[f"s{s}"] = spc.chart(
            y.tolist(), n.tolist() if use_n else None, chart=kind, phases=[6], direction="decrease"
        )  # type: ignore[arg-type]
    res = spc.batch(
        ids,
        ys,
        ns,
        chart={k: v.chart for k, v in expected.items()},
        options={"phases": [6], "direction": "decrease"},
    )
    assert list(res) == list(expected) and len(res) == 40
    for key, want in expected.items():
        assert res[key] == want, key


def test_interleaved_ids_and_numpy_inputs() -> None:
    ids = np.array([1, 2, 1, 2, 1, 2, 1, 2])
    y = np.array([1.0, 10.0, 2.0, 11.0, 3.0, 12.0, 2.0, 14.0])
    res = spc.batch(ids, y, chart="i", x=list("abcdefgh"))
    assert list(res) == [1, 2]
    assert res[1] == spc.chart([1.0, 2.0, 3.0, 2.0], chart="i", x=["a", "c", "e", "g"])
    assert res[2] == spc.chart([10.0, 11.0, 12.0, 14.0], chart="i", x=["b", "d", "f", "h"])


def test_options_by_series_and_chart_override() -> None:
    ids = ["a"] * 10 + ["b"] * 10
    y = [*list(range(10)), 5, 6, 5, 6, 5, 6, 5, 6, 5, 30]
    res = spc.batch(
        ids,
        y,
        chart="i",
        options={"rules": "ihi"},
        options_by_series={"b": {"chart": "c", "freeze": 5, "target": 20}},
    )
    assert res["a"] == spc.chart(list(range(10)), chart="i", rules="ihi")
    assert res["b"] == spc.chart(y[10:], chart="c", rules="ihi", freeze=5, target=20)
    assert res["b"].assurance_icon == "fail"


def test_batch_subgroups() -> None:
    ids = ["x"] * 3 + ["y"] * 3
    y = [[1, 2], [2, 3], [3, 5], [4, 4, 5], [5, 6, 9], [1, 2, 2]]
    res = spc.batch(ids, y, chart={"x": "xbar", "y": "s"})
    assert res["x"] == spc.chart(y[:3], chart="xbar")
    assert res["y"] == spc.chart(y[3:], chart="s")


def test_batch_to_list_and_empty() -> None:
    res = spc.batch(["a", "a", "a"], [1, 2, 3], chart="c")
    out = res.to_list()
    assert out[0]["id"] == "a" and out[0]["chart"] == "c" and len(out[0]["points"]) == 3
    assert len(spc.batch([], [], chart="i")) == 0


def test_batch_ratio_series_with_and_without_n() -> None:
    ids = ["r"] * 4 + ["p"] * 4
    y = [1, 2, 3, 4, 1, 2, 1, 3]
    n = [None] * 4 + [10, 10, 10, 10]
    res = spc.batch(ids, y, n, chart={"r": "i", "p": "p"})
    assert res["r"] == spc.chart([1, 2, 3, 4], chart="i")
    withn = spc.batch(["q"] * 3, [1, 2, 3], [10, 20, 0], chart="run")
    assert withn["q"] == spc.chart([1, 2, 3], [10, 20, 0], chart="run")


def test_batch_errors_name_the_series() -> None:
    with pytest.raises(spc.NumeratorExceedsDenominatorError, match="Series 'b', point 1"):
        spc.batch(["a", "a", "b", "b"], [1, 2, 3, 30], [10, 10, 10, 10], chart="p")
    with pytest.raises(spc.LengthMismatchError):
        spc.batch(["a", "a"], [1, 2, 3], chart="i")
    with pytest.raises(spc.OptionError, match="Series 'a'"):
        spc.batch(["a", "a"], [1, 2], chart="i", options_by_series={"a": {"frieze": 3}})
    with pytest.raises(spc.UnknownChartError, match="Series 'a'"):
        spc.batch(["a", "a"], [1, 2], chart="x")
    with pytest.raises(spc.OptionError, match="no chart type"):
        spc.batch(["a", "a"], [1, 2], chart={"b": "i"})
    with pytest.raises(spc.IndexOutOfRangeError, match="Series 'a'"):
        spc.batch(["a", "a"], [1, 2], chart="i", options={"phases": [5]})
    with pytest.raises(spc.TooFewPointsError, match="Series 'b'"):
        spc.batch(["a", "a", "b"], [1, 2, None], chart="i")
    with pytest.raises(spc.OptionError, match="needs denominators"):
        spc.batch(["a", "a"], [1, 2], chart="p")
    with pytest.raises(spc.NonNumericValueError):
        spc.batch(["a", "a"], [1, "x"], chart="i")
    with pytest.raises(spc.NegativeValueError, match="Series 'a', point 0 \\(w1\\)"):
        spc.batch(["a", "a"], [-1, 2], chart="c", x=["w1", "w2"])
