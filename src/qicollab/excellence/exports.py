"""The LfE lead's CSV export: the organisation's reports, through ``reports.tabular``.

The reporter's name follows the anonymity rule (the lead sees it, as on the page).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from qicollab.excellence import presenters, selectors
from qicollab.organisations.models import Organisation

HEADER = [
    "Report",
    "Date",
    "Organisation",
    "Ward, team or department",
    "Clinical",
    "Recipients",
    "Reporter",
    "Anonymous to recipients",
    "What they did",
    "Why it was excellent",
    "What others can learn",
    "Themes",
]


def report_rows(*, viewer: Any, organisation: Organisation) -> Iterator[Sequence[object]]:
    """The header, then one row per report (the view checks the LfE lead role first)."""
    yield HEADER
    for r in selectors.organisation_reports(organisation=organisation).iterator(chunk_size=500):
        c = presenters.card(viewer, r)
        yield [
            r.pk,
            r.happened_on,
            organisation.name,
            r.unit.name if r.unit else "",
            r.get_work_kind_display(),
            c.recipients,
            c.reporter,
            "Yes" if r.anonymous else "No",
            r.what_they_did,
            r.why_excellent,
            r.learning,
            "; ".join(t.name for t in r.themes.all()),
        ]
