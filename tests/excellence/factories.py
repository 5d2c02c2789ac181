"""Factories of the excellence app (the shared ones live in tests/factories.py)."""

from __future__ import annotations

from typing import Any

from qicollab.excellence import services
from qicollab.excellence.models import ExcellenceReport, LfeLead


def lead(person: Any, organisation: Any, title: str = "") -> LfeLead:
    return LfeLead.objects.create(person=person, organisation=organisation, title=title)


def report(reporter: Any, organisation: Any, **kwargs: Any) -> ExcellenceReport:
    """A report made through the service, so recipients and emails are as in the product."""
    data = {
        "organisation": organisation,
        "what_they_did": "Stayed after her shift to settle a distressed patient.",
        "why_excellent": "Calm, kind and made the whole ward feel safe.",
        "learning": "Ten minutes of time at handover prevents an incident later.",
        **kwargs,
    }
    return services.report_create(actor=reporter, data=services.ReportInput(**data))
