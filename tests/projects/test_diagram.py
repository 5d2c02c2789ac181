"""The driver diagram SVG, its text alternative and JSON, and PDSA ramp states."""

# ruff: noqa: S314 - parsing our own SVG output to prove it is well-formed XML

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from types import SimpleNamespace as C
from typing import Any

import pytest

from qicollab.projects.diagram import (
    Diagram,
    Node,
    build_diagram,
    driver_diagram_svg,
    nested_json,
    outline,
    render_svg,
)
from qicollab.projects.models import ChangeIdea, PrimaryDriver, SecondaryDriver
from qicollab.projects.ramps import RampState, ramp_order, ramp_state

SVG = "{http://www.w3.org/2000/svg}"


def _texts(root: ET.Element) -> str:
    """All visible text, lines of a box joined with spaces (as a reader would read them)."""
    return " ".join(" ".join(t.itertext()) for t in root.iter(f"{SVG}text"))


def test_svg_is_well_formed_and_has_every_node(full_project: Any) -> None:
    svg = driver_diagram_svg(full_project, standalone=True)
    root = ET.fromstring(svg)  # raises if not well-formed XML
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label", "").startswith("Driver diagram: 2 primary drivers, 2 secondary")
    assert root.find(f"{SVG}title").text == f"Driver diagram: {full_project.title}"
    assert root.get("width") and root.get("height")
    titles = {t.text for t in root.iter(f"{SVG}title")}
    words = " ".join(_texts(root).split())
    for model in (PrimaryDriver, SecondaryDriver, ChangeIdea):
        for node in model.objects.filter(project=full_project):
            assert node.text in titles  # full text as each box's tooltip
            for word in node.text.split():
                assert word in words  # and visibly, wrapped over lines
    assert "Reduce restrictive practice incidents" in words  # the aim


def test_svg_escapes_text(full_project: Any) -> None:
    svg = driver_diagram_svg(full_project)
    assert "&lt;with&gt;" in svg and "<with>" not in svg


def test_ideas_show_ramp_state_and_orphans_are_flagged(full_project: Any) -> None:
    words = " ".join(_texts(ET.fromstring(driver_diagram_svg(full_project))).split())
    assert "Testing (2 cycles)" in words  # huddle: adapt, then a cycle under way
    assert "Adopted (1 cycle)" in words
    assert "Not yet tested" in words
    assert words.count("Not linked to a driver") == 1  # the sensory room
    assert 'stroke-dasharray="6 4"' in driver_diagram_svg(full_project)


def test_links_are_drawn(full_project: Any) -> None:
    root = ET.fromstring(driver_diagram_svg(full_project))
    paths = list(root.iter(f"{SVG}path"))
    # aim->2 primaries, 3 secondary links (s1->p1, s2->p1, s2->p2), 3 idea links.
    assert len(paths) == 2 + 3 + 3


def test_empty_diagram_still_renders() -> None:
    svg = render_svg(Diagram(aim="The team has not written its aim yet."))
    root = ET.fromstring(svg)
    assert "No drivers or change ideas yet." in _texts(root)


def test_long_text_wraps_inside_its_box() -> None:
    long = "word " * 60
    svg = render_svg(Diagram(aim="A", primaries=(Node(1, long),)))
    root = ET.fromstring(svg)
    spans = [s for s in root.iter(f"{SVG}tspan") if "word" in (s.text or "")]
    assert len(spans) > 5
    assert all(len(s.text or "") <= 40 for s in spans)


def test_outline_is_the_text_alternative(full_project: Any) -> None:
    tree = outline(build_diagram(full_project))
    assert [b.node.text for b in tree["primaries"]] == [
        "Safe and therapeutic ward environment",
        "Skilled & confident staff",
    ]
    first = tree["primaries"][0]
    assert [b.node.text for b in first.children] == [
        "Safety huddles every shift",
        "De-escalation training",
    ]
    assert [n.text for n in tree["orphan_ideas"]] == ["Sensory room"]


def test_nested_json(full_project: Any) -> None:
    data = nested_json(build_diagram(full_project))
    assert len(data["primary_drivers"]) == 2
    s2 = next(s for s in data["secondary_drivers"] if s["text"] == "De-escalation training")
    assert len(s2["primary_driver_ids"]) == 2
    states = {i["text"]: i["state"] for i in data["change_ideas"]}
    assert states == {
        "Safety huddle at handover <with> patients": "testing",
        "Safewards calm-down methods": "adopted",
        "Sensory room": "not_tested",
    }


# --- ramp state -------------------------------------------------------------------------------


def cyc(n: int, decision: str = "", start: dt.date | None = None, pk: int | None = None) -> C:
    return C(cycle_number=n, act_decision=decision, planned_start=start, pk=pk or n)


@pytest.mark.parametrize(
    ("cycles", "state"),
    [
        ([], RampState.NOT_TESTED),
        ([cyc(1)], RampState.TESTING),
        ([cyc(1, "adopt")], RampState.ADOPTED),
        ([cyc(1, "adapt")], RampState.ADAPTED),
        ([cyc(1, "abandon")], RampState.ABANDONED),
        ([cyc(1, "adapt"), cyc(2)], RampState.TESTING),
        ([cyc(2, "adopt"), cyc(1, "adapt")], RampState.ADOPTED),  # order comes from the number
        ([cyc(1, "adapt"), cyc(2, "adapt"), cyc(3, "abandon")], RampState.ABANDONED),
        # Same number: the later planned start is the latest.
        (
            [cyc(1, "adopt", dt.date(2026, 2, 1), 9), cyc(1, "abandon", dt.date(2026, 1, 1), 10)],
            RampState.ADOPTED,
        ),
    ],
)
def test_ramp_state(cycles: list[Any], state: RampState) -> None:
    assert ramp_state(cycles) == state


def test_ramp_order_is_small_to_wide() -> None:
    assert [c.cycle_number for c in ramp_order([cyc(3), cyc(1), cyc(2)])] == [1, 2, 3]


def test_ramp_state_from_the_database(full_project: Any, world: Any) -> None:
    from qicollab.projects import services

    idea = ChangeIdea.objects.get(project=full_project, text="Safewards calm-down methods")
    assert ramp_state(idea.pdsa_cycles.all()) == RampState.ADOPTED
    services.pdsa_cycle_create(
        actor=world.people["staff_a"],
        project=full_project,
        change_ideas=[idea],
        data={"title": "Whole ward", "status": "complete", "act_decision": "abandon"},
    )
    assert ramp_state(idea.pdsa_cycles.all()) == RampState.ABANDONED
