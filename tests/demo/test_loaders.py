"""The demo's data files load into their typed specs, and a bad file fails loudly."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from qicollab.demo import loaders
from qicollab.demo.content import THEMES, WORKSTREAMS, ThemeSpec, WorkstreamSpec
from qicollab.demo.project_content import PROJECTS, ProjectSpec


@dataclass(frozen=True)
class Inner:
    at: float
    text: str


@dataclass(frozen=True)
class Outer:
    name: str
    count: int
    flag: bool = False
    limit: int | None = None
    pairs: tuple[tuple[float, str], ...] = ()
    inner: tuple[Inner, ...] = ()
    chances: dict[int, float] | None = None


def test_build_converts_lists_to_tuples_and_keys_back_to_ints() -> None:
    raw = {
        "name": "a",
        "count": 2,
        "pairs": [[1, "x"], [2.5, "y"]],
        "inner": [{"at": 3, "text": "t"}],
        "chances": {"0": 0.5},
    }
    assert loaders.build(Outer, raw, "x") == Outer(
        name="a",
        count=2,
        pairs=((1, "x"), (2.5, "y")),
        inner=(Inner(at=3, text="t"),),
        chances={0: 0.5},
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"name": "a", "count": 1, "colour": "red"}, r"unknown fields for Outer: \['colour'\]"),
        ({"name": "a", "count": "1"}, r"x\.count: expected int, got '1'"),
        ({"name": "a", "count": True}, r"x\.count: expected int, got True"),
        ({"name": "a", "count": 1, "flag": 1}, r"x\.flag: expected bool, got 1"),
        ({"name": "a", "count": 1, "pairs": [[1]]}, r"x\.pairs\[0\]: expected 2 items, got 1"),
        ({"name": "a"}, r"x: .*count"),
        ({"name": "a", "count": 1, "inner": [{"at": "soon", "text": "t"}]}, r"inner\[0\]\.at"),
    ],
)
def test_build_refuses_a_mistyped_value_naming_where_it_is(
    raw: dict[str, object], message: str
) -> None:
    with pytest.raises(loaders.DemoDataError, match=message):
        loaders.build(Outer, raw, "x")


def test_the_data_files_load_into_their_specs() -> None:
    assert len(PROJECTS) == 14
    assert all(isinstance(p, ProjectSpec) for p in PROJECTS)
    assert len({p.slug for p in PROJECTS}) == len(PROJECTS)
    assert [w.slug for w in WORKSTREAMS] == [
        "medication",
        "physical-health",
        "safe-and-reliable-care",
        "leadership",
    ]
    assert all(isinstance(w, WorkstreamSpec) for w in WORKSTREAMS)
    assert all(isinstance(t, ThemeSpec) and t.principles for t in THEMES)
