"""Literal, loop-based Python transliterations of the reference R code, for cross-checks.

* ``ptd_*``: NHSRplotthedots ``R/ptd_spc_standard.R`` and ``R/ptd_calculate_point_type.R``
  (read through the code-search tool; see docs/spc.md);
* ``qic_*``: qicharts2 ``R/helper.functions.R`` (``qic.i``, ``qic.p``, ... and
  ``runs.analysis``).

They work on plain lists, one phase at a time, without vectorisation, so that they are an
independent check of the engine. ``None`` stands for R's ``NA``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

NA = None


def r_mean(xs: Sequence[float]) -> float:
    """R's mean(): exactly rounded sum / n (R accumulates in long double)."""
    xs = [x for x in xs if x is not None and not math.isnan(x)]
    if not xs:
        return math.nan
    return math.fsum(xs) / len(xs)


def r_median(xs: Sequence[float]) -> float:
    xs = sorted(x for x in xs if x is not None and not math.isnan(x))
    n = len(xs)
    if n == 0:
        return math.nan
    half = (n + 1) // 2
    if n % 2:
        return xs[half - 1]
    return (xs[half - 1] + xs[half]) / 2


def sign(x: float) -> int:
    return (x > 0) - (x < 0)


# --------------------------------------------------------------------------- NHSRplotthedots


def ptd_spc_standard(
    y: list[float], fix_after_n_points: int | None = None, screen_outliers: bool = True
) -> dict[str, float]:
    """``ptd_spc_standard`` for one rebase group (no missing values)."""
    fix_y = [
        v if (fix_after_n_points is None or i < fix_after_n_points) else None
        for i, v in enumerate(y)
    ]
    mean = r_mean(fix_y)
    mr = [None] + [
        abs(b - a) if a is not None and b is not None else None
        for a, b in itertools.pairwise(fix_y)
    ]
    amr = r_mean(mr)
    if screen_outliers:
        mr = [m if m is not None and m < 3.267 * amr else None for m in mr]
        amr = r_mean(mr)
    limit = 2.66
    limitclose = 2 * (limit / 3)
    return {
        "mean": mean,
        "lpl": mean - limit * amr,
        "upl": mean + limit * amr,
        "nlpl": mean - limitclose * amr,
        "nupl": mean + limitclose * amr,
    }


def ptd_seven_point_one_side_mean(v: list[int], n: int = 7) -> list[int]:
    vp = [0] * (n - 1) + v
    return [
        int(all(vp[i] == vp[i - k] for k in range(1, n)) and vp[i] != 0)
        for i in range(n - 1, len(vp))
    ]


def ptd_part_of_seven_trend(v: list[int], n: int = 7) -> list[int]:
    vp = v + [0] * (n - 1)
    return [int(any(abs(vp[i + k]) == 1 for k in range(n))) for i in range(len(v))]


def ptd_seven_point_trend(y: list[float], n: int = 7) -> list[int]:
    if len(y) < n:
        return [0] * len(y)
    out = [0] * (n - 1)
    for i in range(n - 1, len(y)):
        window = [y[i - k] for k in range(n)]  # y[i - 0:6]
        d = [-sign(b - a) for a, b in itertools.pairwise(window)]
        out.append(1 if all(x == 1 for x in d) else -1 if all(x == -1 for x in d) else 0)
    return out


def ptd_two_in_three(v: list[int], rtm: list[int]) -> list[int]:
    vp = [0, 0, *v, 0, 0]
    rp = [0, 0, *rtm, 0, 0]
    out = []
    for i in range(len(v)):
        ok = False
        for a in (0, 1, 2):
            w = range(i + a, i + a + 3)
            if sum(vp[j] for j in w) >= 2 and abs(sum(rp[j] for j in w)) == 3:
                ok = True
        out.append(int(ok))
    return out


def ptd_special_cause_type(
    y: list[float],
    rtm: list[int],
    close: list[int],
    outside: list[int],
    shift_n: int = 7,
    trend_n: int = 7,
) -> list[str]:
    part_trend = ptd_part_of_seven_trend(ptd_seven_point_trend(y, trend_n), trend_n)
    t23 = ptd_two_in_three(close, rtm)
    part_23 = [int(a == 1 and abs(c) == 1) for a, c in zip(t23, close, strict=True)]
    part_shift = ptd_part_of_seven_trend(ptd_seven_point_one_side_mean(rtm, shift_n), shift_n)
    sdy = [sign(b - a) for a, b in itertools.pairwise(y)]
    n = len(y)
    nxt = [*part_trend[1:], 0]
    right = sdy + sdy[-1:]
    left = [0, *sdy]
    sd = [right[i] if (nxt[i] and part_trend[i]) else left[i] for i in range(n)]
    out = []
    for i in range(n):
        ab = "Above" if rtm[i] > 0 else "Below"
        if outside[i]:
            out.append("Above UCL" if rtm[i] == 1 else "Below LCL")
        elif part_trend[i]:
            out.append(f"7 Point Trend ({'In' if sd[i] == 1 else 'De'}creasing)")
        elif part_23[i]:
            out.append(f"2 in 3 {ab} CL")
        elif part_shift[i]:
            out.append(f"7 Points {ab} CL")
        else:
            out.append("Common Cause")
    return out


def ptd_point_type(types: list[str], direction: int) -> list[str]:
    out = []
    for t in types:
        v = (
            1
            if ("Above" in t or "Increasing" in t)
            else -1
            if ("Below" in t or "Decreasing" in t)
            else 0
        )
        if direction == 0:
            out.append(
                "special_cause_neutral_high"
                if v > 0
                else "special_cause_neutral_low"
                if v < 0
                else "common_cause"
            )
        else:
            v *= direction
            out.append(
                "special_cause_improvement"
                if v > 0
                else "special_cause_concern"
                if v < 0
                else "common_cause"
            )
    return out


def ptd(
    y: list[float], direction: int = 1, fix: int | None = None, close_inclusive: bool = False
) -> tuple[dict[str, float], list[str]]:
    """Full PTD pipeline for one rebase group; PTD compares with the 2-sigma lines
    strictly (``y < nlpl | y > nupl``), as the engine does; ``close_inclusive`` is the
    old, inclusive reading, kept to show the difference."""
    s = ptd_spc_standard(y, fix)
    outside = [int(v > s["upl"] or v < s["lpl"]) for v in y]
    rtm = [sign(v - s["mean"]) for v in y]
    if close_inclusive:
        close = [
            int(not o and (v <= s["nlpl"] or v >= s["nupl"]))
            for v, o in zip(y, outside, strict=True)
        ]
    else:
        close = [
            int(not o and (v < s["nlpl"] or v > s["nupl"])) for v, o in zip(y, outside, strict=True)
        ]
    types = ptd_special_cause_type(y, rtm, close, outside)
    return s, ptd_point_type(types, direction)


# --------------------------------------------------------------------------- qicharts2


def qbinom_float(p: float, size: int) -> int:
    """qbinom(p, size, 0.5) by summing floating-point probabilities (independent check)."""
    cum = 0.0
    for k in range(size + 1):
        cum += math.comb(size, k) / 2.0**size
        if cum >= p * (1 - 64 * 2.220446049250313e-16):
            return k
    return size


def runs_analysis(y: list[float | None], cl: list[float]) -> dict[str, int | None]:
    runs = [sign(v - c) for v, c in zip(y, cl, strict=True) if v is not None]
    runs = [r for r in runs if r != 0]
    n = len(runs)
    if not n:
        return {
            "n_useful": 0,
            "longest_run": None,
            "longest_run_max": None,
            "crossings": None,
            "crossings_min": None,
            "signal": False,
        }
    lengths = []
    for r in runs:
        if lengths and lengths[-1][0] == r:
            lengths[-1][1] += 1
        else:
            lengths.append([r, 1])
    longest = max(length for _, length in lengths)
    lmax = round(math.log2(n)) + 3
    crossings = max(len(lengths) - 1, 0)
    cmin = qbinom_float(0.05, max(n - 1, 0))
    return {
        "n_useful": n,
        "longest_run": longest,
        "longest_run_max": lmax,
        "crossings": crossings,
        "crossings_min": cmin,
        "signal": longest > lmax or crossings < cmin,
    }


def qic_i(y: list[float | None], base: list[bool], screen: bool = True) -> dict[str, float]:
    """qic.i (qicharts2) for one part: y[base] drops excluded/after-freeze points."""
    yb = [v for v, b in zip(y, base, strict=True) if b]
    cl = r_mean(yb)
    mr = [
        abs((b - cl) - (a - cl)) if a is not None and b is not None else None
        for a, b in itertools.pairwise(yb)
    ]
    amr = r_mean(mr)
    if screen:
        mr = [m for m in mr if m is not None and m < 3.267 * amr]
        amr = r_mean(mr)
    stdev = amr / 1.128
    return {
        "cl": cl,
        "lcl": cl - 3 * stdev,
        "ucl": cl + 3 * stdev,
        "lcl95": cl - 2 * stdev,
        "ucl95": cl + 2 * stdev,
    }


def qic_p(num: list[float], den: list[float], base: list[bool]) -> list[dict[str, float]]:
    cl = math.fsum(x for x, b in zip(num, base, strict=True) if b) / math.fsum(
        d for d, b in zip(den, base, strict=True) if b
    )
    out = []
    for d in den:
        sd = math.sqrt(cl * (1 - cl) / d)
        out.append(
            {
                "cl": cl,
                "ucl": min(cl + 3 * sd, 1.0),
                "lcl": max(cl - 3 * sd, 0.0),
                "ucl95": min(cl + 2 * sd, 1.0),
                "lcl95": max(cl - 2 * sd, 0.0),
            }
        )
    return out


def qic_u(num: list[float], den: list[float], base: list[bool]) -> list[dict[str, float]]:
    cl = math.fsum(x for x, b in zip(num, base, strict=True) if b) / math.fsum(
        d for d, b in zip(den, base, strict=True) if b
    )
    out = []
    for d in den:
        sd = math.sqrt(cl / d)
        out.append(
            {
                "cl": cl,
                "ucl": cl + 3 * sd,
                "lcl": max(cl - 3 * sd, 0.0),
                "ucl95": cl + 2 * sd,
                "lcl95": max(cl - 2 * sd, 0.0),
            }
        )
    return out


def qic_prime(
    num: list[float], den: list[float], base: list[bool], kind: str, screen: bool = True
) -> list[dict[str, float]]:
    """qic.pp / qic.up (Laney), x numeric so sigma_z = AMR(z) / 1.128."""
    cl = math.fsum(x for x, b in zip(num, base, strict=True) if b) / math.fsum(
        d for d, b in zip(den, base, strict=True) if b
    )
    sds = [math.sqrt(cl * (1 - cl) / d) if kind == "pp" else math.sqrt(cl / d) for d in den]
    z = [((x / d) - cl) / s for x, d, s, b in zip(num, den, sds, base, strict=True) if b]
    mr = [abs(b - a) for a, b in itertools.pairwise(z)]
    amr = r_mean(mr)
    if screen:
        mr = [m for m in mr if m < 3.267 * amr]
        amr = r_mean(mr)
    sigma_z = amr / 1.128
    out = []
    for s in sds:
        st = s * sigma_z
        ucl, ucl95 = cl + 3 * st, cl + 2 * st
        if kind == "pp":
            ucl, ucl95 = min(ucl, 1.0), min(ucl95, 1.0)
        out.append(
            {
                "cl": cl,
                "ucl": ucl,
                "lcl": max(cl - 3 * st, 0.0),
                "ucl95": ucl95,
                "lcl95": max(cl - 2 * st, 0.0),
            }
        )
    return out


def qic_c(y: list[float], base: list[bool]) -> dict[str, float]:
    cl = r_mean([v for v, b in zip(y, base, strict=True) if b])
    sd = math.sqrt(cl)
    return {
        "cl": cl,
        "ucl": cl + 3 * sd,
        "lcl": max(cl - 3 * sd, 0.0),
        "ucl95": cl + 2 * sd,
        "lcl95": max(cl - 2 * sd, 0.0),
    }


def qic_g(y: list[float], base: list[bool]) -> dict[str, float]:
    yb = [v for v, b in zip(y, base, strict=True) if b]
    m = r_mean(yb)
    sd = math.sqrt(m * (m + 1))
    return {
        "cl": r_median(yb),
        "ucl": m + 3 * sd,
        "lcl": max(m - 3 * sd, 0.0),
        "ucl95": m + 2 * sd,
        "lcl95": max(m - 2 * sd, 0.0),
    }


def qic_t(y: list[float], base: list[bool], screen: bool = True) -> dict[str, float]:
    yt = [v ** (1 / 3.6) for v in y]
    r = qic_i(yt, base, screen)
    lcl = r["lcl"] ** 3.6 if r["lcl"] >= 0 else 0.0
    return {"cl": r["cl"] ** 3.6, "ucl": r["ucl"] ** 3.6, "lcl": lcl, "ucl95": r["ucl95"] ** 3.6}


def c4(n: int) -> float:
    return math.sqrt(2 / (n - 1)) * math.exp(math.lgamma(n / 2) - math.lgamma((n - 1) / 2))


def r_sd(xs: list[float]) -> float:
    m = math.fsum(xs) / len(xs)
    return math.sqrt(math.fsum((x - m) ** 2 for x in xs) / (len(xs) - 1))


def qic_xbar_s(groups: list[list[float]], base: list[bool]) -> list[dict[str, float]]:
    """qic.xbar and qic.s for one part (all subgroups non-empty)."""
    lens = [len(g) for g in groups]
    means = [math.fsum(g) / len(g) for g in groups]
    sds = [r_sd(g) if len(g) > 1 else None for g in groups]
    var_n = len(set(lens)) > 1
    bl = [(n, m, s) for n, m, s, b in zip(lens, means, sds, base, strict=True) if b]
    cl = math.fsum(n * m for n, m, _ in bl) / math.fsum(n for n, _, _ in bl)
    if var_n:
        sbar = math.sqrt(
            math.fsum((n - 1) * s**2 for n, _, s in bl if s is not None)
            / math.fsum(n - 1 for n, _, _ in bl)
        )
    else:
        sbar = r_mean([s for _, _, s in bl if s is not None])
    out = []
    for n in lens:
        if n < 2:
            out.append(
                {
                    "x_ucl": math.nan,
                    "x_lcl": math.nan,
                    "s_ucl": math.nan,
                    "s_lcl": math.nan,
                    "cl": cl,
                    "sbar": sbar,
                }
            )
            continue
        a3 = 3 / (c4(n) * math.sqrt(n))
        c5 = math.sqrt(1 - c4(n) ** 2)
        out.append(
            {
                "cl": cl,
                "sbar": sbar,
                "x_ucl": cl + a3 * sbar,
                "x_lcl": cl - a3 * sbar,
                "s_ucl": (1 + 3 * c5 / c4(n)) * sbar,
                "s_lcl": max(0.0, 1 - 3 * c5 / c4(n)) * sbar,
            }
        )
    return out
