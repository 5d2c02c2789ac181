"""Cross-checks against NHSRplotthedots' own stored results (Making Data Count XmR charts).

Source: nhs-r-community/NHSRplotthedots, ``tests/testthat/_snaps/integration_tests.md``
(read through the code-search tool). The snapshot stores the ``ptd_spc()`` output as an R
XDR serialisation in base64; the lines below are copied verbatim from it (each line is 72
characters, i.e. whole 3-byte groups, so each block decodes on its own). The data are
``NHSRdatasets::ae_attendances`` summed over England by month (36 months from April 2016).
"""

from __future__ import annotations

import base64
import struct

import pytest

from qicollab import spc

# "ae_all attendances spc returns expected values": the y column (attendances).
ATTENDANCES_B64 = """\
WAoAAAACAAQBAQACAwAAAAMTAAAAEAAAAA4AAAAkQTyABQAAAABBP5dEAAAAAEE945IAAAAA
QT+5OgAAAABBPX5lAAAAAEE9ytAAAAAAQT6LmAAAAABBPRyfAAAAAEE9q/cAAAAAQTzraAAA
AABBOnvDAAAAAEE+wloAAAAAQT3AQgAAAABBP4llAAAAAEE+bUgAAAAAQT+lWAAAAABBPV43
AAAAAEE9Y0kAAAAAQT8w6QAAAABBPiqLAAAAAEE+k/IAAAAAQT6E1gAAAABBO8VsAAAAAEE/
RvkAAAAAQT5HcQAAAABBQIN1AAAAAEE/83YAAAAAQUChnAAAAABBPnweAAAAAEE+mr8AAAAA
QT+7BAAAAABBPxhXAAAAAEE/Ph4AAAAAQUAfwoAAAABBPdSDAAAAAEFAiX8AAAAAAAADDgAA"""

# "ae_all performance spc returns expected values" (fix_after_n_points = 12): y column.
PERFORMANCE_B64 = """\
WAoAAAACAAQBAQACAwAAAAMTAAAAEAAAAA4AAAAkP+zPrXjCILY/7ONfrso0DT/s+quu1Glt
P+zkKuGWzbc/7RzHf5peRD/tAd+WiUnNP+x/OqdX/tA/7EgCuSyf2z/rk4iRC+ZvP+s+x1bv
qr8/7AKIGl8V7T/szZPrxwKKP+z3Am5MWuc/7LRAt78KfD/tCDUJd+jOP+zpS+5dCRI/7OVR
VxZ74z/ssXJIbXunP+zICa5nIHQ/7GfBh8m9Nz/rMflaP6u+P+tLtYEOwBY/6zbeEpfBMj/r
FCuIFDq4P+xX27WfH5E/7OzCCBMJGj/tC019zVuIP+yVDXsWAnE/7LZwJLPitD/sdkQ5Wm1T
P+x7pQxuLAE/7AiO1D5zvT/rqa7EcyHRP+r+KHALV/w/6vO7hFOFeT/rtp9SPyZyAAADDgAA"""

# Same snapshot: outside_limits, relative_to_mean and close_to_limits columns.
PERFORMANCE_FLAGS_B64 = """\
7XO82CpOsj/tc7zYKk6yP+1zvNgqTrI/7XO82CpOsj/tc7zYKk6yAAAACgAAACQAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABAAAAAAAAAAAAAAAAAAAAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAEAAAABAAAAAQAAAAEAAAAAAAAAAAAAAAAAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAABAAAAAQAAAAAAAAAOAAAAJD/wAAAAAAAAP/AAAAAAAAA/
8AAAAAAAAD/wAAAAAAAAP/AAAAAAAAA/8AAAAAAAAL/wAAAAAAAAv/AAAAAAAAC/8AAAAAAA
AL/wAAAAAAAAv/AAAAAAAAA/8AAAAAAAAD/wAAAAAAAAP/AAAAAAAAA/8AAAAAAAAD/wAAAA
AAAAP/AAAAAAAAA/8AAAAAAAAD/wAAAAAAAAv/AAAAAAAAC/8AAAAAAAAL/wAAAAAAAAv/AA
AAAAAAC/8AAAAAAAAL/wAAAAAAAAP/AAAAAAAAA/8AAAAAAAAD/wAAAAAAAAP/AAAAAAAAC/
8AAAAAAAAL/wAAAAAAAAv/AAAAAAAAC/8AAAAAAAAL/wAAAAAAAAv/AAAAAAAAC/8AAAAAAA
AAAAAAoAAAAkAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABAAAAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABAAAAAAAAAAAAAAABAAAADgAAACQA"""

# The mean / lpl / upl columns of the snapshots (each column holds one repeated double;
# the hex words are the big-endian doubles read from the base64 blocks).
EXPECTED = {
    "attendances": ("413E869AF1C71C72", "413A6D045D4C3B2A", "41415018C320FEDD"),
    "attendances_rebase_1": ("413DB4EA6AAAAAAB", "4139060B5FF61200", "414131E4BAAFA1AB"),
    "attendances_rebase_2": ("413EEF7335555555", "413B0D7910615AAD", "414168B6AD24A7FF"),
    "performance_fix12": ("3FEC822F02657506", "3FEB90A12CA09B5A", "3FED73BCD82A4EB2"),
}
# point_type column of the performance snapshot (improvement direction "increase").
PERFORMANCE_POINT_TYPE = (
    ["common_cause"] * 9
    + ["special_cause_concern", "common_cause"]
    + ["special_cause_improvement"] * 8
    + ["common_cause"]
    + ["special_cause_concern"] * 4
    + ["common_cause"] * 5
    + ["special_cause_concern"] * 7
)
_CLASS = {
    "common_cause": "common",
    "special_cause_improvement": "improvement",
    "special_cause_concern": "concern",
}


def _vector(block: str, rtype: int, fmt: str, start: int = 0) -> tuple[list[float], int]:
    raw = base64.b64decode("".join(block.split()))
    at = raw.index(struct.pack(">ii", rtype, 36), start) + 8
    size = struct.calcsize(">" + fmt)
    return list(struct.unpack(f">36{fmt}", raw[at : at + 36 * size])), at + 36 * size


def _hex(word: str) -> float:
    return float(struct.unpack(">d", bytes.fromhex(word))[0])


ATTENDANCES, _ = _vector(ATTENDANCES_B64, 14, "d")
PERFORMANCE, _ = _vector(PERFORMANCE_B64, 14, "d")


def test_decoded_data_look_right() -> None:
    """36 monthly totals of A&E attendances (~2 million) and 4-hour performance (~0.9)."""
    assert len(ATTENDANCES) == 36 and all(v.is_integer() for v in ATTENDANCES)
    assert ATTENDANCES[0] == 1867781 and ATTENDANCES[-1] == 2167550
    assert all(0.8 < v < 0.95 for v in PERFORMANCE)


def _limits(result: spc.ChartResult, i: int) -> tuple[float, float, float]:
    return float(result.cl[i]), float(result.lcl[i]), float(result.ucl[i])


def test_attendances_limits_bit_identical() -> None:
    """NHSRplotthedots snapshot "ae_all attendances": mean, lpl, upl to the last bit."""
    r = spc.chart(ATTENDANCES, chart="i")
    assert _limits(r, 0) == tuple(map(_hex, EXPECTED["attendances"]))
    assert [p.point_class for p in r.points] == ["common"] * 36
    assert r.variation_icon == "common_cause"


def test_attendances_rebase_bit_identical() -> None:
    """Snapshot "ae_all attendances spc with rebase" (rebase at 2017-04-01 = point 12)."""
    r = spc.chart(ATTENDANCES, chart="i", phases=[12])
    assert _limits(r, 0) == tuple(map(_hex, EXPECTED["attendances_rebase_1"]))
    assert _limits(r, 11) == _limits(r, 0)
    assert _limits(r, 12) == tuple(map(_hex, EXPECTED["attendances_rebase_2"]))
    assert r.phase.tolist() == [0] * 12 + [1] * 24
    assert len(r.runs) == 2


def test_performance_fix_after_12_points() -> None:
    """Snapshot "ae_all performance" with ``fix_after_n_points = 12``: limits bit for bit
    and all 36 point types (improvement direction "increase")."""
    r = spc.chart(PERFORMANCE, chart="i", freeze=12, direction="increase")
    assert _limits(r, 0) == tuple(map(_hex, EXPECTED["performance_fix12"]))
    assert [p.point_class for p in r.points] == [_CLASS[t] for t in PERFORMANCE_POINT_TYPE]
    assert r.variation_icon == "concern_low"


def test_performance_flags_match_snapshot() -> None:
    """outside_limits, relative_to_mean and close_to_limits columns of the snapshot."""
    outside, at = _vector(PERFORMANCE_FLAGS_B64, 10, "i")
    rtm, at = _vector(PERFORMANCE_FLAGS_B64, 14, "d", at)
    close, _ = _vector(PERFORMANCE_FLAGS_B64, 10, "i", at)
    r = spc.chart(PERFORMANCE, chart="i", freeze=12)
    assert [int("outside_limits" in r.rules_at(i)) for i in range(36)] == outside
    y = r.y
    assert [float(v) for v in ((y > r.cl).astype(int) - (y < r.cl).astype(int))] == rtm
    near = [
        int(not o and (v >= hi or v <= lo))
        for v, o, lo, hi in zip(
            y.tolist(), outside, r.lcl_2s.tolist(), r.ucl_2s.tolist(), strict=True
        )
    ]
    assert near == close


@pytest.mark.parametrize("direction", ["increase", "decrease", "neutral"])
def test_point_types_follow_direction(direction: str) -> None:
    """``ptd_point_type``: the same special causes read as improvement, concern or neutral."""
    r = spc.chart(PERFORMANCE, chart="i", freeze=12, direction=direction)  # type: ignore[arg-type]
    flip = {"improvement": "concern", "concern": "improvement", "common": "common"}
    expected = [_CLASS[t] for t in PERFORMANCE_POINT_TYPE]
    if direction == "decrease":
        expected = [flip[c] for c in expected]
    if direction == "neutral":
        expected = ["common" if c == "common" else "neutral" for c in expected]
    assert [p.point_class for p in r.points] == expected
