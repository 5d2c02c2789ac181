"""Training in a real browser: faculty run a cohort's roster (htmx), the member sees their
record and certificate; every page checked with axe-core (WCAG AA) and for CSP errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from qicollab.capability.models import Attendance, Enrolment
from tests import factories as f
from tests.browser.conftest import Console, check_page
from tests.browser.conftest import axe as axe
from tests.browser.conftest import console as console
from tests.browser.conftest import log_in as log_in
from tests.browser.conftest import screenshot as screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def test_faculty_run_a_cohort_and_the_member_gets_a_certificate(
    page: Page,
    live_server: Any,
    world: Any,
    log_in: Callable[[str], None],
    axe: Any,
    console: Console,
    screenshot: Callable[[str], Path],
) -> None:
    start = timezone.localdate() - timedelta(days=20)
    course = f.CourseFactory(
        collaborative=world.collab,
        title="SBAR and human factors",
        slug="sbar",
        category="human_factors",
        level="",
    )
    cohort = f.CohortFactory(course=course, name="Spring workshop", starts_on=start, capacity=10)
    f.CohortSessionFactory(cohort=cohort, held_on=start)
    f.CohortSessionFactory(cohort=cohort, held_on=start + timedelta(days=7))
    for who, org in (("staff_a", world.trust_a), ("partner_a", world.trust_a)):
        f.EnrolmentFactory(cohort=cohort, person=world.people[who], organisation=org)

    log_in("faculty@example.nhs.uk")
    page.goto(f"{live_server.url}/learning/training/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Training")
    check_page(page, axe, console, screenshot, "training-01-courses")

    page.get_by_role("link", name="SBAR and human factors").click()
    check_page(page, axe, console, screenshot, "training-02-course")
    page.get_by_role("link", name="Spring workshop").click()
    expect(page.get_by_role("heading", name="Roster")).to_be_visible()
    check_page(page, axe, console, screenshot, "training-03-roster")

    first = page.get_by_role("group", name=f"Attendance on {start.strftime('%-d %B %Y')}")
    first.get_by_label("Staff A").check()
    first.get_by_label("Partner A").check()
    page.get_by_role("button", name=f"Save attendance for {start.strftime('%-d %B %Y')}").click()
    expect(page.get_by_text("Attended").first).to_be_visible()
    expect(page.locator("#roster").get_by_text("1 of 2").first).to_be_visible()
    assert Attendance.objects.filter(present=True).count() == 2

    page.get_by_role("button", name="Completed (Staff A)").click()
    expect(page.get_by_role("link", name="Certificate for Staff A")).to_be_visible()
    assert Enrolment.objects.get(person=world.people["staff_a"]).status == "completed"
    check_page(page, axe, console, screenshot, "training-04-roster-after")

    page.context.clear_cookies()
    log_in("staff_a@example.nhs.uk")
    page.goto(f"{live_server.url}/learning/training/mine/")
    expect(
        page.get_by_role("link", name="Download (PDF) for SBAR and human factors")
    ).to_be_visible()
    check_page(page, axe, console, screenshot, "training-05-my-record")
    with page.expect_download() as dl:
        page.get_by_role("link", name="Download (PDF) for SBAR and human factors").click()
    assert dl.value.suggested_filename.endswith(".pdf")
