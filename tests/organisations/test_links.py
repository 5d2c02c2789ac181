"""Emails and web addresses render as real links, never as escaped markup (issue 11)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from qicollab.capability.models import Cohort
from qicollab.events.models import LearningSession, Registration
from qicollab.organisations.models import Organisation
from tests import factories as f

pytestmark = pytest.mark.django_db


def _no_escaped_markup(html: str) -> None:
    assert "&lt;a" not in html and "&lt;/a" not in html


def test_person_page_shows_the_email_as_a_mailto_link(world: Any, login: Any) -> None:
    person = world.people["staff_a"]
    html = login(world.people["pm_a"]).get(person.get_absolute_url()).content.decode()
    _no_escaped_markup(html)
    assert f'<a href="mailto:{person.email}">{person.email}</a>' in html


def test_an_email_with_markup_characters_is_escaped_inside_the_link(world: Any, login: Any) -> None:
    person = world.people["staff_a"]
    person.email = "o'brien&co@example.nhs.uk"
    person.save()
    html = login(world.people["pm_a"]).get(person.get_absolute_url()).content.decode()
    assert 'href="mailto:o&#39;brien&amp;co@example.nhs.uk"' in html


def test_organisation_page_shows_the_website_as_a_link(world: Any, login: Any) -> None:
    org = world.trust_a
    org.website = "https://www.avon.nhs.uk/?a=1&b=2"
    org.save()
    html = login(world.people["pm_a"]).get(org.get_absolute_url()).content.decode()
    _no_escaped_markup(html)
    assert re.search(
        r'<a href="https://www\.avon\.nhs\.uk/\?a=1&amp;b=2" rel="noopener noreferrer">'
        r"https://www\.avon\.nhs\.uk/\?a=1&amp;b=2</a>",
        html,
    )


def test_a_stored_address_of_another_scheme_is_not_a_link(world: Any, login: Any) -> None:
    Organisation.objects.filter(pk=world.trust_a.pk).update(website="javascript:alert(1)")
    html = login(world.people["pm_a"]).get(world.trust_a.get_absolute_url()).content.decode()
    assert 'href="javascript:' not in html
    assert "javascript:alert(1)" in html


def test_collaborative_page_links_the_programme_managers_email(world: Any, login: Any) -> None:
    html = login(world.people["pm_a"]).get(world.collab.get_absolute_url()).content.decode()
    _no_escaped_markup(html)
    email = world.people["pm_a"].email
    assert f'href="mailto:{email}">{email}</a>' in html


def test_session_and_check_in_pages_link_online_and_email(world: Any, login: Any) -> None:
    start = timezone.localdate() + dt.timedelta(days=10)
    s = LearningSession.objects.create(
        collaborative=world.collab,
        title="Online session",
        slug="online",
        starts_on=start,
        ends_on=start,
        online_link="https://meet.example.org/qi?x=1&y=2",
    )
    Registration.objects.create(session=s, person=world.people["staff_a"], status="booked")
    lead = login(world.people["collab_lead"])
    html = lead.get(f"/learning/sessions/{s.pk}/").content.decode()
    _no_escaped_markup(html)
    assert '<a href="https://meet.example.org/qi?x=1&amp;y=2" rel="noopener noreferrer">' in html
    html = lead.get(f"/learning/sessions/{s.pk}/check-in/").content.decode()
    _no_escaped_markup(html)
    email = world.people["staff_a"].email
    assert f'<a href="mailto:{email}">{email}</a>' in html


def test_cohort_page_links_online(world: Any, login: Any) -> None:
    course = f.CourseFactory(collaborative=world.collab)
    cohort: Cohort = f.CohortFactory(course=course, online_link="https://meet.example.org/c")
    html = (
        login(world.people["faculty"])
        .get(f"/learning/training/cohorts/{cohort.pk}/")
        .content.decode()
    )
    _no_escaped_markup(html)
    assert '<a href="https://meet.example.org/c" rel="noopener noreferrer">Join online</a>' in html
