"""The driver diagram as data, as a nested outline, and as a server-rendered SVG.

The SVG is plain, self-contained XML (no scripts, no CSS, presentation attributes only) so
the same string works inline in a page under the content security policy, as a download,
and in WeasyPrint PDFs. Its text alternative is :func:`outline`, shown beside it.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from qicollab.projects.ramps import STATE_STYLES, RampState, ramp_order, ramp_state


@dataclass(frozen=True)
class Node:
    id: int
    text: str
    links: tuple[int, ...] = ()  # ids in the column to the left
    state: RampState | None = None  # change ideas only
    cycles: int = 0

    @property
    def orphan(self) -> bool:
        return not self.links


@dataclass(frozen=True)
class Diagram:
    aim: str
    primaries: tuple[Node, ...] = ()
    secondaries: tuple[Node, ...] = ()
    ideas: tuple[Node, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.primaries or self.secondaries or self.ideas)

    @property
    def orphan_ideas(self) -> tuple[Node, ...]:
        return tuple(n for n in self.ideas if n.orphan)

    @property
    def unlinked_secondaries(self) -> tuple[Node, ...]:
        return tuple(n for n in self.secondaries if n.orphan)

    def summary(self) -> str:
        def n(count: int, word: str) -> str:
            return f"{count} {word}{'' if count == 1 else 's'}"

        return (
            f"Driver diagram: {n(len(self.primaries), 'primary driver')}, "
            f"{n(len(self.secondaries), 'secondary driver')}, {n(len(self.ideas), 'change idea')}"
        )


def build_diagram(
    project: Any, nodes: tuple[list[Any], list[Any], list[Any]] | None = None
) -> Diagram:
    """Read the project's diagram (five queries, unless ``nodes`` are given) into plain data."""
    from qicollab.projects.presenters import aim_text
    from qicollab.projects.selectors import diagram_nodes

    # ``primary_ids`` and ``secondary_ids`` are set on the nodes by ``diagram_nodes``.
    found: tuple[list[Any], list[Any], list[Any]] = nodes or diagram_nodes(project=project)
    primaries, secondaries, ideas = found
    return Diagram(
        aim=aim_text(project),
        primaries=tuple(Node(p.pk, p.text) for p in primaries),
        secondaries=tuple(Node(s.pk, s.text, s.primary_ids) for s in secondaries),
        ideas=tuple(
            Node(
                i.pk,
                i.text,
                i.secondary_ids,
                ramp_state(i.pdsa_cycles.all()),
                len(ramp_order(i.pdsa_cycles.all())),
            )
            for i in ideas
        ),
    )


def driver_diagram_svg(project: Any, *, standalone: bool = False) -> str:
    """The project's driver diagram as an SVG string (for pages, downloads and PDFs)."""
    return render_svg(
        build_diagram(project), title=f"Driver diagram: {project.title}", standalone=standalone
    )


# --- outline: the text alternative and the API's nested JSON ---------------------------------


@dataclass
class Branch:
    node: Node
    children: list[Branch] = field(default_factory=list)


def outline(d: Diagram) -> dict[str, Any]:
    """Aim -> primary -> secondary -> change idea as a tree; unlinked nodes listed apart.

    A node linked to two parents appears under both, as a reader would trace it.
    """
    ideas_by_secondary: dict[int, list[Node]] = {}
    for idea in d.ideas:
        for sid in idea.links:
            ideas_by_secondary.setdefault(sid, []).append(idea)
    secondaries_by_primary: dict[int, list[Node]] = {}
    for sec in d.secondaries:
        for pid in sec.links:
            secondaries_by_primary.setdefault(pid, []).append(sec)
    tree = [
        Branch(
            p,
            [
                Branch(s, [Branch(i) for i in ideas_by_secondary.get(s.id, [])])
                for s in secondaries_by_primary.get(p.id, [])
            ],
        )
        for p in d.primaries
    ]
    loose = [
        Branch(s, [Branch(i) for i in ideas_by_secondary.get(s.id, [])])
        for s in d.unlinked_secondaries
    ]
    return {
        "aim": d.aim,
        "primaries": tree,
        "unlinked_secondaries": loose,
        "orphan_ideas": list(d.orphan_ideas),
    }


def nested_json(d: Diagram) -> dict[str, Any]:
    """The diagram for the API: nodes with their links, each idea with its ramp state."""

    def node(n: Node, link_name: str | None) -> dict[str, Any]:
        out: dict[str, Any] = {"id": n.id, "text": n.text}
        if link_name:
            out[link_name] = list(n.links)
        if n.state is not None:
            out |= {
                "state": n.state.value,
                "state_label": STATE_STYLES[n.state].label,
                "cycles": n.cycles,
                "orphan": n.orphan,
            }
        return out

    return {
        "aim": d.aim,
        "primary_drivers": [node(p, None) for p in d.primaries],
        "secondary_drivers": [node(s, "primary_driver_ids") for s in d.secondaries],
        "change_ideas": [node(i, "secondary_driver_ids") for i in d.ideas],
    }


# --- SVG -------------------------------------------------------------------------------------

BOX_W = 230
GAP_X = 56
MARGIN = 16
TOP = 48  # below the column headings
GAP_Y = 12
PAD = 8
FONT = 14
LINE_H = 18
BADGE_H = 20
CHAR_W = FONT * 0.53  # Arial's average advance, rounded up: wrapping errs on the narrow side
WRAP = int((BOX_W - 2 * PAD) / CHAR_W)
COLUMNS = ("Aim", "Primary drivers", "Secondary drivers", "Change ideas")
NHS_BLUE, NHS_DARK, NHS_GREY, NHS_RED, WHITE = "#005eb8", "#212b32", "#768692", "#d5281b", "#ffffff"


@dataclass(frozen=True)
class _Box:
    x: float
    y: float
    h: float
    lines: tuple[str, ...]

    @property
    def mid(self) -> float:
        return self.y + self.h / 2


def _wrap(text: str) -> tuple[str, ...]:
    return tuple(textwrap.wrap(text, WRAP, break_long_words=True, break_on_hyphens=True)) or ("",)


def _box_height(lines: tuple[str, ...], extra: float = 0) -> float:
    return 2 * PAD + len(lines) * LINE_H + extra


def _column_order(d: Diagram) -> tuple[list[Node], list[Node]]:
    """Secondaries beside their first primary, ideas beside their first secondary.

    Fewer lines cross that way; within that, the team's own order is kept.
    """
    p_rank = {n.id: i for i, n in enumerate(d.primaries)}
    secs = sorted(
        enumerate(d.secondaries),
        key=lambda t: (min((p_rank[x] for x in t[1].links if x in p_rank), default=math.inf), t[0]),
    )
    s_rank = {n.id: i for i, (_, n) in enumerate(secs)}
    ideas = sorted(
        enumerate(d.ideas),
        key=lambda t: (min((s_rank[x] for x in t[1].links if x in s_rank), default=math.inf), t[0]),
    )
    return [n for _, n in secs], [n for _, n in ideas]


def _stack(x: float, heights: list[float], total: float) -> list[float]:
    used = sum(heights) + GAP_Y * max(len(heights) - 1, 0)
    y = TOP + (total - used) / 2
    tops = []
    for h in heights:
        tops.append(y)
        y += h + GAP_Y
    return tops


def _text(x: float, y: float, lines: tuple[str, ...], fill: str, weight: str = "normal") -> str:
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{y + (i + 1) * LINE_H - 4:.1f}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text font-size="{FONT}" fill="{fill}" font-weight="{weight}">{spans}</text>'


def _curve(a: _Box, b: _Box) -> str:
    x1, y1, x2, y2 = a.x + BOX_W, a.mid, b.x, b.mid
    cx = (x1 + x2) / 2
    return (
        f'<path d="M{x1:.1f},{y1:.1f} C{cx:.1f},{y1:.1f} {cx:.1f},{y2:.1f} {x2:.1f},{y2:.1f}" '
        f'fill="none" stroke="{NHS_GREY}" stroke-width="1.5"/>'
    )


def render_svg(
    d: Diagram, *, title: str = "Driver diagram", id_prefix: str = "dd", standalone: bool = False
) -> str:
    """Lay out four columns and draw boxes, wrapped text, links and ramp states."""
    secs, idea_nodes = _column_order(d)
    xs = [MARGIN + i * (BOX_W + GAP_X) for i in range(4)]
    aim_lines = _wrap(d.aim)
    cols: list[list[tuple[Node | None, tuple[str, ...], float]]] = [
        [(None, aim_lines, _box_height(aim_lines))],
        [(n, _wrap(n.text), _box_height(_wrap(n.text))) for n in d.primaries],
        [(n, _wrap(n.text), _box_height(_wrap(n.text), LINE_H if n.orphan else 0)) for n in secs],
        [
            (
                n,
                _wrap(n.text),
                _box_height(_wrap(n.text), BADGE_H + 4 + (LINE_H if n.orphan else 0)),
            )
            for n in idea_nodes
        ],
    ]
    heights = [sum(h for *_, h in c) + GAP_Y * max(len(c) - 1, 0) for c in cols]
    inner = max(max(heights), 60)
    width, height = xs[3] + BOX_W + MARGIN, TOP + inner + MARGIN
    boxes: list[dict[int, _Box]] = []
    for ci, col in enumerate(cols):
        tops = _stack(xs[ci], [h for *_, h in col], inner)
        boxes.append(
            {
                (n.id if n else 0): _Box(xs[ci], y, h, lines)
                for (n, lines, h), y in zip(col, tops, strict=True)
            }
        )

    out: list[str] = []
    size = f' width="{width:.0f}" height="{height:.0f}"' if standalone else ""
    out.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}"{size} '
        f'role="img" aria-label={quoteattr(d.summary())} aria-describedby="{id_prefix}-desc" '
        f'font-family="Arial, Helvetica, sans-serif" class="app-driver-diagram__svg">'
    )
    out.append(f'<title id="{id_prefix}-title">{escape(title)}</title>')
    out.append(
        f'<desc id="{id_prefix}-desc">{escape(d.summary())}. The aim is: {escape(d.aim)} '
        "A text version follows the diagram.</desc>"
    )
    for ci, heading in enumerate(COLUMNS):
        out.append(
            f'<text x="{xs[ci]:.1f}" y="24" font-size="15" font-weight="bold" '
            f'fill="{NHS_DARK}">{escape(heading)}</text>'
        )
    # Links first so boxes sit on top of them.
    aim_box = boxes[0][0]
    out.extend(_curve(aim_box, b) for b in boxes[1].values())
    for left, right, column in ((1, 2, secs), (2, 3, idea_nodes)):
        for n in column:
            out.extend(
                _curve(boxes[left][lid], boxes[right][n.id])
                for lid in n.links
                if lid in boxes[left]
            )
    out.append(_draw_box(aim_box, None, fill=NHS_BLUE, stroke=NHS_BLUE, ink=WHITE, weight="bold"))
    out.extend(
        _draw_box(b, None, fill="#e8f1f8", stroke=NHS_BLUE, ink=NHS_DARK) for b in boxes[1].values()
    )
    out.extend(
        _draw_box(boxes[2][n.id], n, fill=WHITE, stroke=NHS_BLUE, ink=NHS_DARK) for n in secs
    )
    out.extend(
        _draw_box(boxes[3][n.id], n, fill=WHITE, stroke="#4c6272", ink=NHS_DARK) for n in idea_nodes
    )
    if d.is_empty:
        out.append(_text(xs[1], TOP, ("No drivers or change ideas yet.",), NHS_DARK))
    out.append("</svg>")
    return "".join(out)


def _draw_box(
    b: _Box, n: Node | None, *, fill: str, stroke: str, ink: str, weight: str = "normal"
) -> str:
    orphan = n is not None and n.orphan
    dash = ' stroke-dasharray="6 4"' if orphan else ""
    parts = [
        "<g>",
        f"<title>{escape(n.text if n else ' '.join(b.lines))}</title>",
        f'<rect x="{b.x:.1f}" y="{b.y:.1f}" width="{BOX_W}" height="{b.h:.1f}" rx="4" '
        f'fill="{fill}" stroke="{NHS_RED if orphan else stroke}" '
        f'stroke-width="{2 if orphan else 1.5}"{dash}/>',
        _text(b.x + PAD, b.y + PAD, b.lines, ink, weight),
    ]
    y = b.y + PAD + len(b.lines) * LINE_H
    if orphan:
        parts.append(_text(b.x + PAD, y, ("Not linked to a driver",), NHS_RED, "bold"))
        y += LINE_H
    if n is not None and n.state is not None:
        style = STATE_STYLES[n.state]
        label = style.label + (
            f" ({n.cycles} cycle{'s' if n.cycles != 1 else ''})" if n.cycles else ""
        )
        w = min(BOX_W - 2 * PAD, len(label) * 7 + 14)
        parts.append(
            f'<rect x="{b.x + PAD:.1f}" y="{y + 4:.1f}" width="{w:.0f}" height="{BADGE_H}" '
            f'rx="3" fill="{style.fill}"/>'
        )
        parts.append(
            f'<text x="{b.x + PAD + 7:.1f}" y="{y + 18:.1f}" font-size="12" font-weight="bold" '
            f'fill="{style.ink}">{escape(label)}</text>'
        )
    parts.append("</g>")
    return "".join(parts)
