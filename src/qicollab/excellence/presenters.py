"""Display logic of Learning from Excellence: the report as a viewer sees it, and the run
chart of reports per month (the SPC engine through ``measures.spc_adapter``, drawn by
``measures.rendering`` on the server)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from qicollab.excellence import selectors
from qicollab.excellence.models import ExcellenceReport
from qicollab.measures import spc_adapter
from qicollab.measures.charts import ChartMeta


def month_label(d: dt.date) -> str:
    """>>> month_label(dt.date(2026, 3, 1))
    'Mar 2026'
    """
    return d.strftime("%b %Y")


@dataclass(frozen=True)
class ReportCard:
    """What a list or page shows of one report, with the anonymity rule applied."""

    report: ExcellenceReport
    reporter: str
    recipients: str

    @property
    def pk(self) -> int:
        return self.report.pk


def reporter_label(viewer: Any, report: ExcellenceReport) -> str:
    if report.reporter is None:
        return "A former colleague"
    if not selectors.reporter_shown(viewer=viewer, report=report):
        return "A colleague (anonymous)"
    name = report.reporter.full_name
    return f"{name} (anonymous to the recipients)" if report.anonymous else name


def card(viewer: Any, report: ExcellenceReport) -> ReportCard:
    names = ", ".join(r.name for r in report.recipients.all())
    return ReportCard(report, reporter_label(viewer, report), names)


def cards(viewer: Any, reports: Any) -> list[ReportCard]:
    return [card(viewer, r) for r in reports]


@dataclass(frozen=True)
class RunChart:
    image: str | None
    summary: str
    rows: list[tuple[str, int]]


def run_chart(months: list[dt.date], counts: list[int], *, title: str) -> RunChart:
    """Reports per month on a run chart (median line, runs and shifts judged by the engine)."""
    rows = [(month_label(m), n) for m, n in zip(months, counts, strict=True)]
    if len(months) < 2:
        return RunChart(None, "The chart appears once there are two months to show.", rows)
    meta = ChartMeta(
        title=title,
        frequency="monthly",
        chart_type="run",
        y_title="Reports",
        direction="increase",
        decimals=0,
    )
    try:
        result = spc_adapter.series_chart(
            [float(n) for n in counts],
            chart="run",
            x=[m.isoformat() for m in months],
            direction="increase",
        )
    except spc_adapter.SpcInputError as exc:
        return RunChart(None, f"No chart yet: {exc}", rows)
    if len(months) < spc_adapter.MIN_POINTS:
        summary = (
            f"Reports per month, {rows[0][0]} to {rows[-1][0]}: too few months to judge runs "
            f"and shifts (they are judged from {spc_adapter.MIN_POINTS}). "
            f"Latest month: {counts[-1]}."
        )
    else:
        summary = spc_adapter.result_summary(result, meta)
    image = spc_adapter.result_image(result, meta, width=640, height=280, summary=summary)
    return RunChart(image, summary, rows)
