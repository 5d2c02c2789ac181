"""Property-based tests (hypothesis)."""

from __future__ import annotations

import json
import math

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from qicollab import spc

SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

counts = st.lists(st.integers(0, 40), min_size=3, max_size=40)
options = st.fixed_dictionaries(
    {
        "phases": st.lists(st.integers(1, 30), max_size=2),
        "exclude": st.lists(st.integers(0, 30), max_size=2),
        "freeze": st.none() | st.integers(3, 20),
        "rules": st.sampled_from(["mdc", "ihi"]),
        "direction": st.sampled_from(["increase", "decrease", "neutral"]),
        "target": st.none() | st.integers(0, 60).map(float),
    }
)


def fit(opts: dict, length: int) -> dict:
    return {
        **opts,
        "phases": [p for p in opts["phases"] if p < length],
        "exclude": [e for e in opts["exclude"] if e < length],
    }


def chart_or_none(*args: object, **kw: object) -> spc.ChartResult | None:
    try:
        return spc.chart(*args, **kw)  # type: ignore[arg-type]
    except spc.TooFewPointsError:
        return None


@SETTINGS
@given(
    data=st.lists(st.tuples(st.integers(0, 50), st.integers(0, 80)), min_size=3, max_size=40),
    kind=st.sampled_from(["p", "pp", "u", "up", "c", "g"]),
    opts=options,
)
def test_attribute_limits_never_negative(
    data: list[tuple[int, int]], kind: str, opts: dict
) -> None:
    num = [min(a, b) for a, b in data] if kind in ("p", "pp") else [a for a, _ in data]
    den = [b for _, b in data] if kind in ("p", "pp", "u", "up") else None
    r = chart_or_none(num, den, chart=kind, **fit(opts, len(num)))
    assume(r is not None)
    assert r is not None
    for arr in (r.lcl, r.lcl_2s, r.ucl, r.ucl_2s, r.cl):
        assert not (arr[~np.isnan(arr)] < 0).any()
    if kind in ("p", "pp"):
        assert not (r.ucl[~np.isnan(r.ucl)] > 1).any()


@SETTINGS
@given(
    y=st.lists(st.floats(-1e4, 1e4, allow_nan=False), min_size=2, max_size=50),
    shift=st.integers(-1000, 1000),
    opts=options,
)
def test_shifting_an_i_chart_shifts_centre_and_limits(
    y: list[float], shift: int, opts: dict
) -> None:
    """Adding a constant moves the mean and the limits by it (the AMR is unchanged);
    exact for integer-valued data, so the rules and runs are identical too."""
    y = [float(round(v)) for v in y]
    a = chart_or_none(y, chart="i", **fit(opts, len(y)))
    assume(a is not None)
    b = spc.chart([v + shift for v in y], chart="i", **fit(opts, len(y)))  # type: ignore[arg-type]
    assert a is not None
    for x, z in ((a.cl, b.cl), (a.ucl, b.ucl), (a.lcl, b.lcl), (a.ucl_2s, b.ucl_2s)):
        tol = 1e-9 * (1 + np.nanmax(np.abs(z), initial=0.0))
        assert np.allclose(x + shift, z, rtol=0, atol=tol, equal_nan=True)
    assert np.array_equal(a.ucl - a.lcl, b.ucl - b.lcl, equal_nan=True) or np.allclose(
        a.ucl - a.lcl, b.ucl - b.lcl, rtol=1e-12, equal_nan=True
    )
    if np.array_equal(a.cl + shift, b.cl):
        assert np.array_equal(a.rule_bits, b.rule_bits) or not np.array_equal(a.ucl + shift, b.ucl)
        assert a.runs == b.runs


@SETTINGS
@given(y=st.lists(st.integers(0, 30), min_size=2, max_size=40), opts=options)
def test_limits_symmetric_about_the_mean(y: list[int], opts: dict) -> None:
    r = chart_or_none(y, chart="i", **fit(opts, len(y)))
    assume(r is not None)
    assert r is not None
    assert np.allclose(r.ucl - r.cl, r.cl - r.lcl, rtol=1e-12, atol=1e-12, equal_nan=True)
    assert not np.any(r.ucl_2s - r.cl > r.ucl - r.cl + 1e-12)
    # no limits (one point, or no variation) means none of the four lines
    assert np.array_equal(np.isnan(r.ucl), np.isnan(r.ucl_2s))


series_strategy = st.lists(
    st.tuples(
        st.sampled_from(["run", "i", "mr", "p", "pp", "u", "up", "c", "g", "t", "xbar", "s"]),
        st.lists(st.tuples(st.integers(1, 30), st.integers(30, 60)), min_size=4, max_size=18),
        options,
    ),
    min_size=1,
    max_size=8,
)


@SETTINGS
@given(series=series_strategy)
def test_batch_equals_per_series_chart(series: list[tuple[str, list, dict]]) -> None:
    """``batch`` must give bit-identical results to ``chart`` for every series."""
    ids, ys, ns, by_series, expected = [], [], [], {}, {}
    for k, (kind, pairs, opts) in enumerate(series):
        if kind in ("xbar", "s"):
            y: list = [[float(a), float(a + b % 7), float(b)] for a, b in pairs]
        else:
            y = [float(a) for a, _ in pairs]
        n = [float(b) for _, b in pairs]
        use_n = kind in ("p", "pp", "u", "up")
        o = fit(opts, len(pairs))
        want = chart_or_none(y, n if use_n else None, chart=kind, **o)
        if want is None:
            continue
        expected[k] = want
        ids += [k] * len(pairs)
        ys += y
        ns += n if use_n else [None] * len(pairs)
        by_series[k] = {"chart": kind, **o}
    assume(expected)
    res = spc.batch(
        ids,
        ys,
        ns,
        chart={k: v["chart"] for k, v in by_series.items()},
        options_by_series=by_series,
    )
    assert list(res) == list(expected)
    for k, want in expected.items():
        assert res[k] == want


@SETTINGS
@given(
    y=st.lists(st.none() | st.floats(-100, 100, allow_nan=False), min_size=3, max_size=30),
    kind=st.sampled_from(["run", "i", "mr"]),
)
def test_json_is_finite_and_gaps_preserved(y: list[float | None], kind: str) -> None:
    r = chart_or_none(y, chart=kind)
    assume(r is not None)
    assert r is not None
    text = json.dumps(r.to_dict(), allow_nan=False)
    out = json.loads(text)
    assert len(out["points"]) == len(y)
    for v, p in zip(y, out["points"], strict=True):
        if v is None:
            assert p["y"] is None and p["class"] == "common" and p["rules"] == []
    for p in out["points"]:
        for key in ("y", "cl", "lcl", "ucl"):
            assert p[key] is None or math.isfinite(p[key])


@SETTINGS
@given(y=counts, opts=options)
def test_classes_are_consistent_with_rules(y: list[int], opts: dict) -> None:
    r = chart_or_none(y, chart="c", **fit(opts, len(y)))
    assume(r is not None)
    assert r is not None
    for p in r.points:
        assert (p.point_class == "common") == (p.rules == ()) == (p.side is None)
        if opts["direction"] == "neutral":
            assert p.point_class in ("common", "neutral")
