"""Board-report exports of the quarterly dashboard (CSV, Excel, PDF) and the team's case list.

All built from the same selectors and presenters as the pages.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from qicollab.deaths import presenters
from qicollab.deaths.models import Death
from qicollab.deaths.selectors import QuarterFigures
from qicollab.organisations.models import Organisation


def _guard(value: str) -> str:
    """Stop a spreadsheet treating text as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def dashboard_rows(rows: list[QuarterFigures], *, split_ages: bool) -> list[list[str]]:
    table = presenters.dashboard_table(rows, split_ages=split_ages)
    header = ["Group", "Measure", *[r.quarter.label for r in rows], "Total"]
    return [header, *[[t.group, t.label, *t.cells, t.total] for t in table]]


def dashboard_csv(rows: list[QuarterFigures], *, split_ages: bool) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    for row in dashboard_rows(rows, split_ages=split_ages):
        writer.writerow([_guard(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode()  # BOM so Excel reads the en dash correctly


def dashboard_xlsx(
    rows: list[QuarterFigures], *, organisation: Organisation, split_ages: bool
) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Learning from deaths"
    ws.append([f"{organisation.name}: learning from deaths dashboard"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(
        [
            f"Produced {timezone.localtime():%d %B %Y %H:%M}. Quarters of the date of death "
            f"(NHS financial year)."
        ]
    )
    ws.append([])
    data = dashboard_rows(rows, split_ages=split_ages)
    for i, row in enumerate(data):
        out: list[Any] = []
        for j, v in enumerate(row):
            if i > 0 and j >= 2 and v not in ("\u2013", ""):
                out.append(float(v.rstrip("%")) / 100 if v.endswith("%") else int(v))
            else:
                out.append(None if v == "\u2013" else v)
        ws.append(out)
        if i > 0:
            for j, v in enumerate(row):
                if j >= 2 and v.endswith("%"):
                    ws.cell(row=ws.max_row, column=j + 1).number_format = "0%"
    for cell in ws[4]:
        cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 52
    for j in range(3, len(data[0]) + 1):
        ws.column_dimensions[get_column_letter(j)].width = 12
    ws.freeze_panes = "C5"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def dashboard_pdf(
    rows: list[QuarterFigures], *, organisation: Organisation, split_ages: bool, request: Any = None
) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "deaths/report_pdf.jinja",
        {
            "org": organisation,
            "rows": rows,
            "produced": timezone.localtime(),
            **presenters.context_for_chart_page(rows, split_ages=split_ages),
        },
    )
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]


CASE_COLUMNS = (
    "Case reference",
    "Date of death",
    "Quarter",
    "Age band",
    "Setting",
    "Service or team",
    "Type of death",
    "Learning disability",
    "Autism",
    "LeDeR referral",
    "In scope",
    "Screening response",
    "Reviewed",
    "Overall care (final review)",
    "Avoidability (final review)",
)


def cases_csv(deaths: list[Death], *, orientation: str) -> bytes:
    from qicollab.deaths.selectors import final_review

    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CASE_COLUMNS)
    for d in deaths:
        final = final_review(list(d.reviews.all()))
        screening = getattr(d, "screening", None)
        writer.writerow(
            [
                _guard(str(v))
                for v in (
                    d.case_reference,
                    d.date_of_death.isoformat(),
                    d.quarter.label,
                    d.get_age_band_display(),
                    d.get_setting_display(),
                    d.service,
                    d.get_category_display(),
                    "Yes" if d.learning_disability else "No",
                    "Yes" if d.autism else "No",
                    d.get_leder_status_display() if d.needs_leder else "",
                    "Yes" if d.in_scope else "No",
                    screening.get_outcome_display() if screening else "Not screened",
                    "Yes" if final else "No",
                    final.get_overall_rating_display() if final and final.overall_rating else "",
                    presenters.avoidability_display(final, orientation) if final else "",
                )
            ]
        )
    return ("\ufeff" + buf.getvalue()).encode()


def filename(organisation: Organisation, what: str, ext: str, when: datetime | None = None) -> str:
    stamp = (when or timezone.localtime()).strftime("%Y-%m-%d")
    return f"{organisation.slug}-{what}-{stamp}.{ext}"
