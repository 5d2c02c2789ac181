"""Board-report exports of the quarterly dashboard (CSV, Excel, PDF) and the team's case list.

All built from the same selectors and presenters as the pages.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

from django.utils import timezone

from qicollab.deaths import presenters
from qicollab.deaths.models import Death
from qicollab.deaths.selectors import QuarterFigures
from qicollab.organisations.models import Organisation
from qicollab.reports.pdf import render_pdf
from qicollab.reports.tabular import Cell, Sheet, csv_bytes, header, xlsx_bytes


def dashboard_rows(rows: list[QuarterFigures], *, split_ages: bool) -> list[list[str]]:
    table = presenters.dashboard_table(rows, split_ages=split_ages)
    head = ["Group", "Measure", *[r.quarter.label for r in rows], "Total"]
    return [head, *[[t.group, t.label, *t.cells, t.total] for t in table]]


def dashboard_csv(rows: list[QuarterFigures], *, split_ages: bool) -> bytes:
    return csv_bytes(dashboard_rows(rows, split_ages=split_ages))


def _figure(text: str) -> object:
    """A dashboard cell as a spreadsheet number: "12" a count, "60%" a fraction, a dash none."""
    if text in ("\u2013", ""):
        return None
    if text.endswith("%"):
        return Cell(float(text.rstrip("%")) / 100, number_format="0%")
    return int(text)


def _dashboard_sheet_rows(
    rows: list[QuarterFigures], *, organisation: Organisation, split_ages: bool
) -> Iterator[Sequence[object]]:
    yield [Cell(f"{organisation.name}: learning from deaths dashboard", bold=True, size=14)]
    yield [
        f"Produced {timezone.localtime():%d %B %Y %H:%M}. Quarters of the date of death "
        f"(NHS financial year)."
    ]
    yield []
    head, *body = dashboard_rows(rows, split_ages=split_ages)
    yield header(head)
    for row in body:
        yield [*row[:2], *(_figure(v) for v in row[2:])]


def dashboard_xlsx(
    rows: list[QuarterFigures], *, organisation: Organisation, split_ages: bool
) -> bytes:
    columns = len(rows) + 3  # group, measure, a column per quarter, total
    widths: dict[str | int, float] = {"A": 34, "B": 52} | dict.fromkeys(range(3, columns + 1), 12)
    sheet = Sheet(
        "Learning from deaths",
        _dashboard_sheet_rows(rows, organisation=organisation, split_ages=split_ages),
        widths=widths,
        freeze="C5",
    )
    return xlsx_bytes([sheet])


def dashboard_pdf(
    rows: list[QuarterFigures], *, organisation: Organisation, split_ages: bool
) -> bytes:
    return render_pdf(
        "deaths/report_pdf.jinja",
        {
            "org": organisation,
            "rows": rows,
            "produced": timezone.localtime(),
            **presenters.context_for_chart_page(rows, split_ages=split_ages),
        },
    )


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

    def row(d: Death) -> list[object]:
        final = final_review(list(d.reviews.all()))
        screening = getattr(d, "screening", None)
        return [
            d.case_reference,
            d.date_of_death,
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
        ]

    return csv_bytes([CASE_COLUMNS, *(row(d) for d in deaths)])


def filename(organisation: Organisation, what: str, ext: str, when: datetime | None = None) -> str:
    stamp = (when or timezone.localtime()).strftime("%Y-%m-%d")
    return f"{organisation.slug}-{what}-{stamp}.{ext}"
