"""Exports of the national roll-up: CSV, Excel (a sheet per level) and a PDF quarterly report.

Built from the same selector and presenters as the pages, so the numbers cannot differ.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace

from django.utils import timezone

from qicollab.national import presenters
from qicollab.national.selectors import Rollup, Row
from qicollab.reports.pdf import render_pdf
from qicollab.reports.tabular import Cell, Sheet, csv_bytes, header, xlsx_bytes

HEAD_FILL = "E8EDEE"


def _value(row: Row, key: str) -> int | str:
    n = row.values.get(key)
    return presenters.NOT_RECORDED if key in row.values and n is None else (n or 0)


def _levels(data: Rollup) -> list[tuple[str, Row]]:
    out: list[tuple[str, Row]] = [("national", data.total)]
    for crow in data.collaboratives:
        out.append(("collaborative", crow))
        cid = crow.collaborative.pk if crow.collaborative else 0
        out.extend(("organisation", r) for r in data.organisations.get(cid, []))
    return out


def rollup_csv(data: Rollup) -> bytes:
    """One row per level: the national total, each collaborative, then its organisations."""
    cols = presenters.columns(data)

    def line(level: str, row: Row) -> list[object]:
        return [
            data.quarter.label,
            level,
            row.collaborative.name if row.collaborative else "",
            row.organisation.name if row.organisation else "",
            row.organisation.get_org_type_display() if row.organisation else "",
            *[
                "" if level == "organisation" and c.group == "trained" else _value(row, c.key)
                for c in cols
            ],
        ]

    head = ["Quarter", "Level", "Collaborative", "Organisation", "Organisation type"]
    return csv_bytes([head + [c.label for c in cols], *(line(lv, r) for lv, r in _levels(data))])


def _head(names: Sequence[object]) -> list[Cell]:
    return header(names, fill=HEAD_FILL, wrap=True)


def _counts(values: Sequence[object]) -> list[object]:
    """Whole numbers with thousands separators; "not recorded yet" stays text."""
    return [Cell(v, number_format="#,##0") if isinstance(v, int) else v for v in values]


def _summary_rows(data: Rollup) -> Iterator[Sequence[object]]:
    title = f"{data.programme.name}: activity {data.quarter.label} ({data.quarter.months})"
    yield [Cell(title, bold=True, size=14)]
    yield [f"Produced {timezone.localtime():%d %B %Y %H:%M}."]
    yield []
    yield _head(["Figure", "Value"])
    for label, value in presenters.headline(data):
        yield [label, value]
    yield []
    yield ["Figure", "All collaboratives"]
    for c in presenters.columns(data):
        yield [c.label, *_counts([_value(data.total, c.key)])]


def _collaborative_rows(data: Rollup) -> Iterator[Sequence[object]]:
    cols = presenters.columns(data)
    yield _head(["Collaborative", *[c.label for c in cols], "% sharing learning from deaths"])
    for crow in [*data.collaboratives, data.total]:
        members = crow.values.get("orgs_total") or 0
        pct = (crow.values.get("deaths_sharing") or 0) / members if members else None
        cells = [crow.label, *_counts([_value(crow, c.key) for c in cols])]
        cells.append(Cell(pct, number_format="0%"))
        if crow is data.total:  # the total row is bold
            cells = [
                replace(c, bold=True) if isinstance(c, Cell) else Cell(c, bold=True) for c in cells
            ]
        yield cells


def _organisation_rows(data: Rollup) -> Iterator[Sequence[object]]:
    org_cols = [c for c in presenters.columns(data) if c.group != "trained"]
    yield _head(
        ["Collaborative", "Organisation", "Organisation type", *[c.label for c in org_cols]]
    )
    for crow in data.collaboratives:
        cid = crow.collaborative.pk if crow.collaborative else 0
        for row in data.organisations.get(cid, []):
            org = row.organisation
            yield [
                crow.label,
                org.name if org else row.label,
                org.get_org_type_display() if org else "",
                *_counts([_value(row, c.key) for c in org_cols]),
            ]


def rollup_xlsx(data: Rollup) -> bytes:
    """A workbook with a sheet per level: summary, collaboratives, organisations."""
    columns = len(presenters.columns(data)) + 2  # name, the figures, % sharing
    return xlsx_bytes(
        [
            Sheet("National summary", _summary_rows(data), widths={"A": 48, "B": 22}, freeze="B5"),
            Sheet(
                "Collaboratives",
                _collaborative_rows(data),
                widths={"A": 44} | dict.fromkeys(range(2, columns + 1), 14),
                freeze="B2",
            ),
            Sheet(
                "Organisations",
                _organisation_rows(data),
                widths={"A": 40, "B": 44, "C": 22},
                freeze="D2",
            ),
        ]
    )


def rollup_pdf(data: Rollup) -> bytes:
    """The quarterly report: headline figures, charts by collaborative, and the tables."""
    cols = presenters.visible_columns(data)
    summary_cols = [c for c in cols if c.group != "orgs" or c.key == "orgs_total"]
    org_cols = [c for c in summary_cols if c.group != "trained"]
    return render_pdf(
        "national/report_pdf.jinja",
        {
            "rollup": data,
            "produced": timezone.localtime(),
            "headline": presenters.headline(data),
            "charts": presenters.report_charts(data),
            "columns": summary_cols,
            "org_columns": org_cols,
            "rows": [(r, presenters.table([r], summary_cols)[0]) for r in data.collaboratives],
            "total": presenters.table([data.total], summary_cols)[0],
            "org_tables": [
                (
                    crow,
                    [
                        (r, presenters.table([r], org_cols)[0])
                        for r in data.organisations.get(
                            crow.collaborative.pk if crow.collaborative else 0, []
                        )
                    ],
                )
                for crow in data.collaboratives
            ],
            "type_columns": [c for c in cols if c.group == "orgs"],
            "type_total": presenters.table([data.total], [c for c in cols if c.group == "orgs"])[0],
            "sharing_pct": presenters.sharing_pct,
        },
    )


def filename(data: Rollup, ext: str) -> str:
    return f"{data.programme.slug}-activity-{data.quarter.slug}.{ext}"
