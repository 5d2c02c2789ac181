"""Exports of the national roll-up: CSV, Excel (a sheet per level) and a PDF quarterly report.

Built from the same selector and presenters as the pages, so the numbers cannot differ.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from qicollab.national import presenters
from qicollab.national.selectors import Rollup, Row


def _guard(value: str) -> str:
    """Stop a spreadsheet treating text as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


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
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(
        ["Quarter", "Level", "Collaborative", "Organisation", "Organisation type"]
        + [c.label for c in cols]
    )
    for level, row in _levels(data):
        collab = row.collaborative.name if row.collaborative else ""
        org = row.organisation.name if row.organisation else ""
        org_type = row.organisation.get_org_type_display() if row.organisation else ""
        cells = [
            data.quarter.label,
            level,
            collab,
            org,
            org_type,
            *[
                "" if level == "organisation" and c.group == "trained" else _value(row, c.key)
                for c in cols
            ],
        ]
        writer.writerow([_guard(str(v)) for v in cells])
    return ("\ufeff" + buf.getvalue()).encode()  # BOM so Excel reads the en dash correctly


def rollup_xlsx(data: Rollup) -> bytes:
    """A workbook with a sheet per level: summary, collaboratives, organisations."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    cols = presenters.columns(data)
    wb = Workbook()
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="E8EDEE")

    def header(ws: Any, names: list[str], row: int) -> None:
        ws.append(names)
        for j in range(1, len(names) + 1):
            cell = ws.cell(row=row, column=j)
            cell.font = bold
            cell.fill = head_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = f"B{row + 1}"

    def numbers(ws: Any, row: int, first_col: int) -> None:
        for j in range(first_col, ws.max_column + 1):
            cell = ws.cell(row=row, column=j)
            if isinstance(cell.value, int):
                cell.number_format = "#,##0"

    title = f"{data.programme.name}: activity {data.quarter.label} ({data.quarter.months})"
    produced = f"Produced {timezone.localtime():%d %B %Y %H:%M}."

    ws = wb.active
    ws.title = "National summary"
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([produced])
    ws.append([])
    header(ws, ["Figure", "Value"], 4)
    for label, value in presenters.headline(data):
        ws.append([label, value])
    ws.append([])
    ws.append(["Figure", "All collaboratives"])
    for c in cols:
        ws.append([c.label, _value(data.total, c.key)])
        numbers(ws, ws.max_row, 2)
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 22

    ws = wb.create_sheet("Collaboratives")
    names = ["Collaborative", *[c.label for c in cols], "% sharing learning from deaths"]
    header(ws, names, 1)
    for crow in [*data.collaboratives, data.total]:
        members = crow.values.get("orgs_total") or 0
        pct = (crow.values.get("deaths_sharing") or 0) / members if members else None
        ws.append([crow.label, *[_value(crow, c.key) for c in cols], pct])
        numbers(ws, ws.max_row, 2)
        ws.cell(row=ws.max_row, column=len(names)).number_format = "0%"
    for cell in ws[ws.max_row]:
        cell.font = bold
    ws.column_dimensions["A"].width = 44
    for j in range(2, len(names) + 1):
        ws.column_dimensions[get_column_letter(j)].width = 14

    ws = wb.create_sheet("Organisations")
    org_cols = [c for c in cols if c.group != "trained"]
    names = ["Collaborative", "Organisation", "Organisation type", *[c.label for c in org_cols]]
    header(ws, names, 1)
    for crow in data.collaboratives:
        cid = crow.collaborative.pk if crow.collaborative else 0
        for row in data.organisations.get(cid, []):
            org = row.organisation
            ws.append(
                [
                    crow.label,
                    org.name if org else row.label,
                    org.get_org_type_display() if org else "",
                    *[_value(row, c.key) for c in org_cols],
                ]
            )
            numbers(ws, ws.max_row, 4)
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 44
    ws.column_dimensions["C"].width = 22
    ws.freeze_panes = "D2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rollup_pdf(data: Rollup) -> bytes:
    """The quarterly report: headline figures, charts by collaborative, and the tables."""
    from weasyprint import HTML

    cols = presenters.visible_columns(data)
    summary_cols = [c for c in cols if c.group != "orgs" or c.key == "orgs_total"]
    org_cols = [c for c in summary_cols if c.group != "trained"]
    html = render_to_string(
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
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]


def filename(data: Rollup, ext: str) -> str:
    return f"{data.programme.slug}-activity-{data.quarter.slug}.{ext}"
