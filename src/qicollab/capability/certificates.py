"""Certificates of completion as PDF, through the one PDF renderer (``qicollab.reports``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from qicollab.reports.pdf import render_pdf


def certificate_context(enrolment: Any) -> dict[str, Any]:
    """What the certificate says; only a completed enrolment has one."""
    course = enrolment.cohort.course
    return {
        "e": enrolment,
        "person": enrolment.person,
        "course": course,
        "cohort": enrolment.cohort,
        "collab": course.collaborative,
        "organisation": enrolment.organisation,
        "produced": timezone.localdate(),
    }


def certificate_pdf(enrolment: Any, *, base_url: str) -> bytes:
    """An A4 landscape certificate for a completed enrolment."""
    if not enrolment.is_completed:
        raise ValueError("Only a completed enrolment has a certificate.")
    return render_pdf(
        "capability/certificate_print.jinja", certificate_context(enrolment), base_url=base_url
    )
