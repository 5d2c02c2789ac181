"""Property-based cross-checks against loop-based transliterations of the reference R code
(``ref_impl.py``: NHSRplotthedots ``ptd_spc_standard`` / ``ptd_special_cause_type`` /
``ptd_point_type`` and qicharts2 ``qic.*`` / ``runs.analysis``), on random series with
phases, exclusions and freezes. Tolerance: relative 1e-12.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from qicollab import spc

from . import ref_impl as ref

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
PTD_CLASS = {
    "common_cause": "common",
    "special_cause_improvement": "improvement",
    "special_cause_concern": "concern",
    "special_cause_neutral_high": "neutral",
    "special_cause_neutral_low": "neutral",
}


def close(a: float, b: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


values = st.one_of(
    st.lists(st.integers(0, 12).map(float), min_size=8, max_size=60),
    st.lists(
        st.floats(-1e3, 1e3, allow_nan=False).map(lambda v: round(v, 3)), min_size=8, max_size=60
    ),
)


@SETTINGS
@given(y=values, direction=st.sampled_from([1, -1, 0]), fix=st.none() | st.integers(2, 30))
def test_i_chart_matches_nhsrplotthedots(y: list[float], direction: int, fix: int | None) -> None:
    """ptd_spc() for one rebase group: mean, lpl, upl and every point type."""
    s, types = ref.ptd(y, direction, fix)
    assume(all(math.isfinite(v) for v in s.values()) and s["upl"] > s["lpl"])
    name = {1: "increase", -1: "decrease", 0: "neutral"}[direction]
    r = spc.chart(y, chart="i", freeze=fix, direction=name)  # type: ignore[arg-type]
    assert close(float(r.cl[0]), s["mean"])
    assert close(float(r.lcl[0]), s["lpl"]) and close(float(r.ucl[0]), s["upl"])
    assert close(float(r.lcl_2s[0]), s["nlpl"]) and close(float(r.ucl_2s[0]), s["nupl"])
    assert [p.point_class for p in r.points] == [PTD_CLASS[t] for t in types]
    sides = [p.side for p in r.points]
    assert [side is None for side in sides] == [t == "common_cause" for t in types]


def parts(length: int, phases: list[int]) -> list[range]:
    cuts = [0, *sorted({p for p in phases if 0 < p < length}), length]
    return [range(a, b) for a, b in itertools.pairwise(cuts)]


def base_mask(part: range, exclude: set[int], freeze: int | None) -> list[bool]:
    return [i not in exclude and (freeze is None or i - part.start < freeze) for i in part]


layout = st.fixed_dictionaries(
    {
        "phases": st.lists(st.integers(1, 40), max_size=2),
        "exclude": st.lists(st.integers(0, 40), max_size=3),
        "freeze": st.none() | st.integers(8, 30),
    }
)


def _check_runs(
    r: spc.ChartResult, y: list[float | None], exclude: set[int], pieces: list[range]
) -> None:
    for k, part in enumerate(pieces):
        ys = [y[i] for i in part if i not in exclude]
        cls = [float(r.cl[i]) for i in part if i not in exclude]
        exp = ref.runs_analysis(ys, cls)
        got = r.runs[k].to_dict()
        if r.chart == "mr":
            exp["signal"] = False
        assert {key: got[key] for key in exp} == exp


@SETTINGS
@given(
    y=st.lists(st.floats(0.5, 500).map(lambda v: round(v, 2)), min_size=12, max_size=45),
    lay=layout,
    chart=st.sampled_from(["i", "t", "c", "g", "run"]),
)
def test_single_value_charts_match_qicharts2(y: list[float], lay: dict, chart: str) -> None:
    """qic.i (3 * AMR / 1.128), qic.t, qic.c, qic.g, qic.run per part + runs.analysis."""
    length = len(y)
    lay = {**lay, "phases": [q for q in lay["phases"] if q < length]}
    exclude = {e for e in lay["exclude"] if e < length}
    pieces = parts(length, lay["phases"])
    for part in pieces:
        assume(sum(base_mask(part, exclude, lay["freeze"])) >= 3)
    if chart == "c":
        y = [float(round(v)) for v in y]
    r = spc.chart(
        y,
        chart=chart,
        xmr_constant="d2",
        phases=lay["phases"],  # type: ignore[arg-type]
        exclude=sorted(exclude),
        freeze=lay["freeze"],
    )
    for part in pieces:
        base = base_mask(part, exclude, lay["freeze"])
        ys = [y[i] for i in part]
        if chart == "i":
            exp = ref.qic_i(ys, base)
        elif chart == "t":
            exp = ref.qic_t(ys, base)
        elif chart == "c":
            exp = ref.qic_c(ys, base)
        elif chart == "g":
            exp = ref.qic_g(ys, base)
        else:
            exp = {"cl": ref.r_median([v for v, b in zip(ys, base, strict=True) if b])}
        i = part.start
        assert close(float(r.cl[i]), exp["cl"])
        if chart != "run":
            assume(math.isfinite(exp["ucl"]))
            if exp["ucl"] == exp["cl"]:
                # zero sigma: qicharts2 collapses the limits onto the centre line, the
                # engine draws none (docs/spc.md, "Corner cases")
                assert math.isnan(r.ucl[i]) and math.isnan(r.ucl_2s[i])
                continue
            assert close(float(r.ucl[i]), exp["ucl"]) and close(float(r.lcl[i]), exp["lcl"])
            assert close(float(r.ucl_2s[i]), exp["ucl95"])
    _check_runs(r, y, exclude, pieces)  # type: ignore[arg-type]


@SETTINGS
@given(
    data=st.lists(st.tuples(st.integers(0, 60), st.integers(1, 400)), min_size=10, max_size=40),
    lay=layout,
    chart=st.sampled_from(["p", "u", "pp", "up"]),
)
def test_attribute_charts_match_qicharts2(
    data: list[tuple[int, int]], lay: dict, chart: str
) -> None:
    """qic.p, qic.u, qic.pp, qic.up: per-point limits, clipping, Laney's sigma_z."""
    num = [float(min(a, b) if chart in ("p", "pp") else a) for a, b in data]
    den = [float(b) for _, b in data]
    lay = {**lay, "phases": [q for q in lay["phases"] if q < len(num)]}
    exclude = {e for e in lay["exclude"] if e < len(num)}
    pieces = parts(len(num), lay["phases"])
    for part in pieces:
        base = base_mask(part, exclude, lay["freeze"])
        assume(sum(base) >= 3)
        assume(sum(n for n, b in zip([num[i] for i in part], base, strict=True) if b) > 0)
    r = spc.chart(
        num,
        den,
        chart=chart,
        phases=lay["phases"],  # type: ignore[arg-type]
        exclude=sorted(exclude),
        freeze=lay["freeze"],
    )
    for part in pieces:
        base = base_mask(part, exclude, lay["freeze"])
        pn, pd = [num[i] for i in part], [den[i] for i in part]
        if chart == "p":
            exp = ref.qic_p(pn, pd, base)
        elif chart == "u":
            exp = ref.qic_u(pn, pd, base)
        else:
            exp = ref.qic_prime(pn, pd, base, chart)
        for j, i in enumerate(part):
            assert close(float(r.y[i]), num[i] / den[i])
            for key, got in (
                ("cl", r.cl),
                ("ucl", r.ucl),
                ("lcl", r.lcl),
                ("ucl95", r.ucl_2s),
                ("lcl95", r.lcl_2s),
            ):
                assert close(float(got[i]), exp[j][key]), (key, i)
    _check_runs(r, [n / d for n, d in zip(num, den, strict=True)], exclude, pieces)


@SETTINGS
@given(
    groups=st.lists(
        st.lists(st.integers(0, 50).map(float), min_size=1, max_size=6), min_size=5, max_size=25
    ),
    lay=layout,
)
def test_xbar_s_match_qicharts2(groups: list[list[float]], lay: dict) -> None:
    """qic.xbar / qic.s: weighted mean, pooled or mean sd, A3/B3/B4 from c4."""
    lay = {**lay, "phases": [q for q in lay["phases"] if q < len(groups)]}
    exclude = {e for e in lay["exclude"] if e < len(groups)}
    pieces = parts(len(groups), lay["phases"])
    for part in pieces:
        base = base_mask(part, exclude, lay["freeze"])
        assume(any(b and len(groups[i]) > 1 for i, b in zip(part, base, strict=True)))
    opts = {"phases": lay["phases"], "exclude": sorted(exclude), "freeze": lay["freeze"]}
    xbar = spc.chart(groups, chart="xbar", **opts)  # type: ignore[arg-type]
    s = spc.chart(groups, chart="s", **opts)  # type: ignore[arg-type]
    for part in pieces:
        exp = ref.qic_xbar_s([groups[i] for i in part], base_mask(part, exclude, lay["freeze"]))
        for j, i in enumerate(part):
            assert close(float(xbar.cl[i]), exp[j]["cl"])
            assert close(float(s.cl[i]), exp[j]["sbar"])
            if exp[j]["sbar"] == 0:
                # No variation: the references collapse the limits onto the centre line;
                # we draw none (docs/spc.md, "Corner cases").
                assert np.isnan([xbar.ucl[i], xbar.lcl[i], s.ucl[i], s.lcl[i]]).all()
                continue
            assert close(float(xbar.ucl[i]), exp[j]["x_ucl"])
            assert close(float(xbar.lcl[i]), exp[j]["x_lcl"])
            assert close(float(s.ucl[i]), exp[j]["s_ucl"])
            assert close(float(s.lcl[i]), exp[j]["s_lcl"])


@SETTINGS
@given(y=st.lists(st.integers(0, 9).map(float) | st.none(), min_size=10, max_size=50))
def test_missing_values_break_moving_ranges(y: list[float | None]) -> None:
    """qic.i / ptd_spc_standard: a moving range next to a missing value is NA and dropped;
    the runs analysis drops missing points (runs.analysis)."""
    present = [v for v in y if v is not None]
    assume(len(present) >= 3)
    exp = ref.qic_i(y, [True] * len(y))  # type: ignore[arg-type]
    assume(math.isfinite(exp["ucl"]) and exp["ucl"] > exp["cl"])
    r = spc.chart(y, chart="i", xmr_constant="d2")  # type: ignore[arg-type]
    assert close(float(r.cl[0]), exp["cl"]) and close(float(r.ucl[0]), exp["ucl"])
    assert np.isnan(r.y[[i for i, v in enumerate(y) if v is None]]).all()
    _check_runs(r, y, set(), [range(len(y))])
