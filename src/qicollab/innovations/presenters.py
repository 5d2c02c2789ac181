"""Display logic of the innovation pages: tags, evidence charts, the spread timeline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qicollab.innovations.models import AdoptionStatus, Stage
from qicollab.measures import rendering, spc_adapter
from qicollab.measures.models import Measure

STATUS_TAGS = {
    AdoptionStatus.CONSIDERING: "nhsuk-tag--grey",
    AdoptionStatus.TESTING: "nhsuk-tag--blue",
    AdoptionStatus.ADAPTED: "nhsuk-tag--purple",
    AdoptionStatus.ADOPTED: "nhsuk-tag--green",
    AdoptionStatus.ABANDONED: "nhsuk-tag--red",
    "source": "nhsuk-tag--yellow",
    "": "nhsuk-tag--white",
}
STATUS_LABELS = {**dict(AdoptionStatus.choices), "source": "Source", "": "Not yet"}
STAGE_TAGS = {
    Stage.TESTING: "nhsuk-tag--blue",
    Stage.LOCAL: "nhsuk-tag--green",
    Stage.SPREADING: "nhsuk-tag--purple",
}


def status_tag(status: str) -> dict[str, str]:
    """The NHS.UK tag (text and class) of an adoption status, '' meaning none yet."""
    return {"text": STATUS_LABELS.get(status, status), "classes": STATUS_TAGS.get(status, "")}


def stage_tag(stage: str) -> dict[str, str]:
    return {"text": Stage(stage).label, "classes": STAGE_TAGS.get(Stage(stage), "")}


@dataclass
class EvidenceChart:
    """One evidence measure's live chart: a server-rendered image, its words and its table."""

    measure: Measure
    image: str
    summary: str
    table: list[dict[str, Any]]


def evidence_charts(
    measures: list[Measure], *, width: int = 560, height: int = 230
) -> list[EvidenceChart]:
    """Charts of the evidence measures, drawn now from their data (never stored pictures)."""
    charts = spc_adapter.measure_charts(measures)
    out: list[EvidenceChart] = []
    for m in measures:
        chart = charts.get(m.pk)
        if chart is None:
            continue
        image = (
            rendering.svg_data_uri(chart.spec(width=width, height=height))
            if chart.has_chart
            else ""
        )
        out.append(EvidenceChart(m, image, chart.summary, chart.table() if chart.has_chart else []))
    return out


def spread_sentence(counts: dict[str, int]) -> str:
    """'3 organisations trying it (1 testing, 1 adapted, 1 adopted); 1 stopped; 1 considering.'"""
    trying = counts.get("testing", 0) + counts.get("adapted", 0) + counts.get("adopted", 0)
    parts = [
        f"{trying} organisation{'s' if trying != 1 else ''} trying it"
        + (
            " ("
            + ", ".join(
                f"{counts[s]} {s}" for s in ("testing", "adapted", "adopted") if counts.get(s)
            )
            + ")"
            if trying
            else ""
        )
    ]
    if counts.get("considering"):
        parts.append(f"{counts['considering']} considering it")
    if counts.get("abandoned"):
        parts.append(f"{counts['abandoned']} stopped")
    return "; ".join(parts) + "."
