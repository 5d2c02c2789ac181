"""Storyboards and feedback in a real browser, each page checked with axe-core (WCAG AA):
an attendee steals an idea from the gallery, another gives feedback, faculty read results."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from PIL import Image
from playwright.sync_api import Page, expect

from qicollab.events import feedback
from qicollab.events import storyboards as sb
from qicollab.events.models import LearningSession, Registration
from tests import factories as f
from tests.browser.conftest import Console, check_page
from tests.browser.conftest import axe as axe
from tests.browser.conftest import console as console
from tests.browser.conftest import log_in as log_in
from tests.browser.conftest import screenshot as screenshot
from tests.events.conftest import make_session

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def _png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (0, 94, 184)).save(out, format="PNG")
    return SimpleUploadedFile("poster.png", out.getvalue())


def test_steal_an_idea_give_feedback_and_read_results(
    page: Page,
    live_server: Any,
    world: Any,
    settings: Any,
    tmp_path: Path,
    log_in: Callable[[str], None],
    axe: Any,
    console: Console,
    screenshot: Callable[[str], Path],
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    p = world.people
    s = make_session(world.collab, days_ahead=-7, title="Learning session 9")
    ws = f.WorkstreamFactory(collaborative=world.collab, name="Safer wards", slug="safer-wards")
    sb.storyboard_upload(
        actor=p["staff_a"],
        session=s,
        organisation=world.trust_a,
        title="Safety huddles at shift change",
        summary="A five-minute huddle before handover.",
        workstream=ws,
        upload=_png(),
    )
    for who in ("staff_a", "staff_b"):
        Registration.objects.create(session=s, person=p[who], status="booked")
    for i in range(5):  # enough other responses for results to show
        person = f.PersonFactory()
        f.AffiliationFactory(person=person, organisation=world.trust_a, role="staff")
        Registration.objects.create(session=s, person=person, status="booked")
        feedback.feedback_submit(
            actor=person, session=s, rating=3 if i == 4 else 5, learning="yes", patient_care="yes"
        )

    # An attendee from trust B steals the idea from the gallery.
    log_in(p["staff_b"].email)
    page.goto(f"{live_server.url}/learning/sessions/{s.pk}/")
    expect(page.get_by_text("1 of 2 member organisations presented (50%).")).to_be_visible()
    page.get_by_role("link", name="See the 1 storyboard and steal ideas").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Storyboards")
    expect(
        page.get_by_role("img", name="Storyboard: Safety huddles at shift change")
    ).to_be_visible()
    check_page(page, axe, console, screenshot, "storyboards-01-gallery")
    page.locator("summary", has_text="Steal this idea").click()
    page.get_by_label("A note for the team (optional)").fill("Trying it on Elm ward")
    page.get_by_role("button", name="I will steal this").click()
    expect(page.get_by_text("You intend to steal this")).to_be_visible()
    expect(page.locator(f"#steals-{s.storyboards.get().pk}")).to_contain_text("1 person intends")
    check_page(page, axe, console, screenshot, "storyboards-02-stolen")
    page.goto(f"{live_server.url}/learning/sessions/{s.pk}/storyboards/new/")
    check_page(page, axe, console, screenshot, "storyboards-03-submit")

    # The same attendee gives feedback.
    page.goto(f"{live_server.url}/learning/sessions/{s.pk}/")
    page.get_by_role("link", name="Give feedback").click()
    check_page(page, axe, console, screenshot, "feedback-01-form")
    page.get_by_role("button", name="Send feedback").click()  # nothing chosen
    expect(page.get_by_text("There is a problem")).to_be_visible()
    check_page(page, axe, console, screenshot, "feedback-02-errors")
    page.get_by_label("4: Good").check()
    page.get_by_role("group", name="Did the session contribute to your learning?").get_by_label(
        "Yes"
    ).check()
    page.get_by_role("group", name="Will it contribute to improving patient care?").get_by_label(
        "Partly"
    ).check()
    page.get_by_label("What will you do differently? (optional)").fill("Huddles on Elm ward")
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your feedback")
    check_page(page, axe, console, screenshot, "feedback-03-thanks")

    # Results are published only once feedback has closed (FEEDBACK_WINDOW_DAYS after the
    # session), never live: move the session back past its window.
    shift = dt.timedelta(days=feedback.FEEDBACK_WINDOW_DAYS + 1)
    LearningSession.objects.filter(pk=s.pk).update(
        starts_on=F("starts_on") - shift, ends_on=F("ends_on") - shift
    )

    # Faculty read the results: six responses, five positive.
    page.context.clear_cookies()
    log_in(p["faculty"].email)
    page.goto(f"{live_server.url}/learning/sessions/{s.pk}/feedback/results/")
    expect(page.locator("#positive-headline")).to_have_text("83% positive")
    expect(page.get_by_text("Huddles on Elm ward")).to_be_visible()
    check_page(page, axe, console, screenshot, "feedback-04-results")
