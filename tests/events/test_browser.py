"""Issue 6 in a real browser, every page checked with axe-core (WCAG 2.2 AA) and the console.

An organiser plans a learning session and its workshops; a member assesses their QI
capability, sees the workshops that match their levels and books one; the organiser checks
them in; the attendee gives feedback; and the collaborative's "Learn, Live or Lead" goal
moves with the new assessment.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from qicollab.capability.models import SubjectArea
from qicollab.capability.services import Answer, self_assessment_create
from qicollab.collaborative.models import ProgrammeGoal
from qicollab.events.models import LearningSession, Registration, WorkshopBooking
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


def _log_out(page: Page) -> None:
    page.context.clear_cookies()


def _latest(page: Page, url: str) -> str:
    """The goal page's newest value, e.g. "0%" or "100%": the running period's, or the
    judged period's when no period is running (the page shows them apart)."""
    page.goto(url)
    rows = page.locator(".nhsuk-summary-list__row")
    text = ""
    for label in ("Running period, not yet judged", "Status judged on"):
        text = rows.filter(has_text=label).locator(".nhsuk-summary-list__value").inner_text()
        if text.strip() != "\u2013":  # the page's dash for "none"
            break
    m = re.match(r"\s*(-?[\d,.]+%)", text)
    assert m, text
    return m.group(1)


def test_learning_session_journey(
    page: Page,
    live_server: Any,
    world: Any,
    subjects: list[SubjectArea],
    log_in: Callable[[str], None],
    axe: Any,
    console: Console,
    screenshot: Callable[[str], Path],
) -> None:
    today = timezone.localdate()
    f.WorkstreamFactory(collaborative=world.collab, name="Physical health")
    spc = next(s for s in subjects if s.slug == "measurement-spc")
    # The goal: members who Learn, Live or Lead, against a baseline two months ago, when one
    # member (staff_b) had assessed.
    goal = ProgrammeGoal.objects.create(
        collaborative=world.collab,
        slug="learn-live-lead",
        statement="Increase the number of members who Learn, Live or Lead QI by 30%",
        metric_key="capability_change_pct",
        baseline_date=today - dt.timedelta(days=60),
        target_value=30,
        unit="%",
        deadline=today + dt.timedelta(days=365),
    )
    self_assessment_create(
        actor=world.people["staff_b"],
        collaborative=world.collab,
        answers={s.pk: Answer(1) for s in subjects},
        assessed_on=today - dt.timedelta(days=90),
    )
    goal_url = f"{live_server.url}/collaboratives/{world.collab.slug}/goals/{goal.slug}/"

    # --- The organiser plans the session and a workshop --------------------------------
    log_in("faculty@example.nhs.uk")
    page.goto(f"{live_server.url}/learning/sessions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Learning sessions")
    check_page(page, axe, console, screenshot, "events-01-session-list-organiser")

    page.get_by_role("link", name="Add a learning session").click()
    page.get_by_label("Title").fill("Learning session 9: measurement")
    page.get_by_label("First day").fill(today.isoformat())
    page.get_by_label("Last day").fill((today - dt.timedelta(days=1)).isoformat())
    page.get_by_label("Venue (optional)").fill("Harbourside Conference Centre, Exeford")
    page.get_by_role("button", name="Save the learning session").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "The last day must be the same as or after the first day."
    )
    expect(page.get_by_label("Venue (optional)")).to_have_value(
        "Harbourside Conference Centre, Exeford"
    )
    check_page(page, axe, console, screenshot, "events-02-session-form-errors")

    page.get_by_label("Last day").fill((today + dt.timedelta(days=1)).isoformat())
    page.get_by_label("Ask about accessibility or dietary needs").check()
    page.get_by_role("button", name="Save the learning session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Learning session 9: measurement")
    session = LearningSession.objects.get(title="Learning session 9: measurement")
    check_page(page, axe, console, screenshot, "events-03-session-detail-organiser")

    page.get_by_role("link", name="Add to the agenda").click()
    page.get_by_label("Workshop", exact=True).check()
    page.get_by_label("Title").fill("Reading SPC charts")
    page.get_by_label("Starts at").fill("11:00")
    page.get_by_label("Ends at").fill("12:15")
    page.get_by_label("Presenter or facilitator (optional)").fill("Dr Harriet Quillfeather")
    page.get_by_role("button", name="Save the agenda item").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Choose the subject area this workshop teaches."
    )
    check_page(page, axe, console, screenshot, "events-04-agenda-form-errors")
    page.get_by_label("Subject area").select_option(label=spc.name)
    page.get_by_label(re.compile(r"Live: doing")).check()
    page.get_by_label("Workshop places (optional)").fill("20")
    page.get_by_role("button", name="Save the agenda item").click()
    expect(page.get_by_role("table", name="Agenda")).to_contain_text("Reading SPC charts")
    _log_out(page)

    # --- Before the member assesses, the goal reads no change -----------------------------
    log_in("staff_a@example.nhs.uk")
    before = _latest(page, goal_url)
    assert before == "0%"
    check_page(page, axe, console, screenshot, "events-05-goal-before")

    # --- The member assesses, sees the matching workshop and books it --------------------
    page.goto(f"{live_server.url}/learning/")
    page.get_by_role("button", name="Assess yourself").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assess your QI capability")
    for s in subjects:
        level = "Live" if s.pk == spc.pk else "Learn"
        page.get_by_role("group", name=s.name).get_by_label(level, exact=True).check()
    check_page(page, axe, console, screenshot, "events-06-assess")
    page.get_by_role("button", name="Save my assessment").click()
    recommended = page.get_by_role("table", name="Recommended workshops")
    expect(recommended).to_contain_text("Reading SPC charts")
    check_page(page, axe, console, screenshot, "events-07-recommended")
    recommended.get_by_role("button", name="Book Reading SPC charts").click()
    expect(page.locator("body")).to_contain_text("You are booked on “Reading SPC charts”.")
    check_page(page, axe, console, screenshot, "events-08-booked")
    staff_a = world.people["staff_a"]
    assert Registration.objects.get(session=session, person=staff_a).status == "booked"
    assert WorkshopBooking.objects.get(person=staff_a).workshop.title == "Reading SPC charts"

    # --- The goal chart moves: one member counted at the baseline, two now -------------
    after = _latest(page, goal_url)
    assert after == "100%", after
    assert after != before
    check_page(page, axe, console, screenshot, "events-09-goal-after")

    # --- The member subscribes to their sessions from a calendar app ----------------------
    page.goto(f"{live_server.url}/accounts/calendar-link/")
    page.get_by_role("button", name="Get a calendar link").click()
    link = page.get_by_label(re.compile("Copy this link now")).input_value()
    assert "/learning/sessions/feed/cal_" in link
    check_page(page, axe, console, screenshot, "events-10-calendar-link")
    # The link starts with SITE_URL; fetch its path from the test server, with no session.
    path = link[link.index("/learning/sessions/feed/") :]
    calendar_app = page.context.browser.new_context()  # type: ignore[union-attr]
    feed = calendar_app.request.get(live_server.url + path)
    assert feed.ok and "SUMMARY:Learning session 9: measurement" in feed.text()
    calendar_app.close()
    _log_out(page)

    # --- The organiser checks them in -------------------------------------------------------
    log_in("faculty@example.nhs.uk")
    page.goto(f"{live_server.url}/learning/sessions/{session.pk}/")
    page.get_by_role("link", name="Check-in list").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Check-in: {session.title}")
    page.get_by_role("button", name="Check in Staff A").click()
    expect(page.locator("body")).to_contain_text("1 checked in")
    expect(page.get_by_role("button", name="Undo check-in Staff A")).to_be_visible()
    check_page(page, axe, console, screenshot, "events-11-checked-in")
    assert Registration.objects.get(session=session, person=staff_a).checked_in_at is not None
    page.get_by_role("link", name="sign-in sheet").click()
    expect(page.get_by_role("table", name="People with a place")).to_contain_text("Staff A")
    check_page(page, axe, console, screenshot, "events-12-sign-in-sheet")
    page.emulate_media(media="print")
    screenshot("events-12b-sign-in-sheet-print")
    expect(page.locator(".nhsuk-header")).to_be_hidden()
    page.emulate_media(media="screen")
    _log_out(page)

    # --- The attendee gives feedback ----------------------------------------------------------
    log_in("staff_a@example.nhs.uk")
    page.goto(f"{live_server.url}/learning/sessions/{session.pk}/feedback/")
    check_page(page, axe, console, screenshot, "events-13-feedback")
    page.get_by_label("5: Excellent").check()
    page.get_by_role("group", name="Did the session contribute to your learning?").get_by_label(
        "Yes", exact=True
    ).check()
    page.get_by_role("group", name="Will it contribute to improving patient care?").get_by_label(
        "Yes", exact=True
    ).check()
    page.get_by_role("button", name=re.compile("Send")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your feedback")
    check_page(page, axe, console, screenshot, "events-14-feedback-thanks")
