"""The demo collaborative: its shape, idempotency, and the logins ``make run`` prints."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone

from qicollab.accounts.models import Person
from qicollab.collaborative.models import Theme, Workstream
from qicollab.demo import DEMO_PASSWORD, PERSONAS, STEPS, persona, run_demo
from qicollab.demo import content as c
from qicollab.organisations.models import (
    Affiliation,
    Collaborative,
    CollaborativeMembership,
    CollaborativeRole,
    NationalProgramme,
    Organisation,
)

pytestmark = pytest.mark.django_db

MH = c.MH_COLLABORATIVE.slug


@pytest.fixture(scope="module")
def _seeded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """Seed once for the module; each test then runs (and rolls back) inside this transaction."""
    with django_db_blocker.unblock(), transaction.atomic():
        run_demo()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(_seeded: None, db: Any) -> Collaborative:
    return Collaborative.objects.get(slug=MH)


def who(key: str) -> Person:
    return Person.objects.get(email=persona(key).email)


def org(slug: str) -> Organisation:
    return Organisation.objects.get(slug=slug)


def snapshot() -> dict[str, int]:
    """Row counts of every qicollab model, audit-history tables included."""
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m.__module__.startswith("qicollab.")
    }


# --- Shape --------------------------------------------------------------------------------


def test_eleven_trusts_across_the_south_are_current_members(demo: Collaborative) -> None:
    current = CollaborativeMembership.objects.current().filter(collaborative=demo)
    trusts = [m.organisation for m in current.select_related("organisation")]
    assert len(trusts) == 11
    assert {t.org_type for t in trusts} == {"nhs_trust"}
    assert {t.region for t in trusts} == {"sw", "se"}
    assert all(re.fullmatch(r"[RT][A-Z0-9]{2}", t.ods_code) for t in trusts)
    assert all(m.joined_on < dt.date.today() for m in current)  # noqa: DTZ011


def test_one_former_member_shows_history(demo: Collaborative) -> None:
    former = CollaborativeMembership.objects.filter(collaborative=demo, left_on__isnull=False)
    assert [m.organisation.slug for m in former] == ["westercombe"]
    assert former[0].left_on is not None
    assert former[0].left_on.year < dt.date.today().year  # noqa: DTZ011
    assert not former[0].is_current


def test_collaborative_is_public_led_and_sponsored_by_ahsns(demo: Collaborative) -> None:
    assert demo.kind == "topic"
    assert demo.is_public
    assert demo.started_on is not None and demo.started_on.year == 2009
    assert "make care safer by improving quality in mental healthcare" in demo.purpose
    assert demo.lead_organisation is not None
    assert demo.lead_organisation.org_type == "ahsn"
    sponsors = list(demo.sponsors.all())
    assert len(sponsors) == 2
    assert all(s.org_type == "ahsn" and s.ods_code for s in sponsors)
    assert demo.lead_organisation in sponsors


def test_national_programme_has_other_regional_collaboratives(demo: Collaborative) -> None:
    programme = NationalProgramme.objects.get(
        name="National Patient Safety Collaborative Programme"
    )
    assert demo.programme == programme
    others = programme.collaboratives.exclude(pk=demo.pk)
    assert 3 <= others.count() <= 4
    for collab in others:
        assert collab.kind == "regional_psc"
        assert 1 <= collab.memberships.current().count() <= 2
        assert collab.roles.filter(role="lead").exists()
    assert programme.admins.filter(email=persona("national_admin").email).exists()


def test_about_eighty_people(demo: Collaborative) -> None:
    assert 75 <= Person.objects.count() <= 90
    assert not Person.objects.exclude(email__endswith=".example").exists()
    assert not Person.objects.filter(is_superuser=True).exists()
    assert list(Person.objects.filter(is_staff=True)) == [who("national_admin")]


def test_every_member_trust_has_a_programme_manager_affiliated_as_one(demo: Collaborative) -> None:
    for m in CollaborativeMembership.objects.current().filter(collaborative=demo):
        assert m.programme_manager is not None, m.organisation
        assert Affiliation.objects.filter(
            person=m.programme_manager,
            organisation=m.organisation,
            role="programme_manager",
            ended_on__isnull=True,
        ).exists(), m.organisation


def test_trusts_have_staff_with_varied_professions(demo: Collaborative) -> None:
    for m in CollaborativeMembership.objects.current().filter(collaborative=demo):
        staff = Affiliation.objects.filter(organisation=m.organisation, role="staff")
        assert 4 <= staff.count() <= 6, m.organisation
    professions = set(
        Affiliation.objects.filter(role="staff").values_list("person__profession", flat=True)
    )
    assert len(professions) >= 8


def test_lived_experience_partners_across_trusts(demo: Collaborative) -> None:
    partners = Affiliation.objects.filter(role="partner").exclude(person__lived_experience="")
    assert partners.count() >= 6
    assert partners.values("organisation").distinct().count() >= 6
    kinds = set(partners.values_list("person__lived_experience", flat=True))
    assert kinds == {"patient", "carer", "family"}


def test_faculty_and_leads(demo: Collaborative) -> None:
    faculty = CollaborativeRole.objects.filter(collaborative=demo, role="faculty")
    assert 6 <= faculty.count() <= 8
    assert faculty.filter(title="Clinical lead").exists()
    assert faculty.exclude(person__lived_experience="").exists()  # a patient leader
    assert 1 <= CollaborativeRole.objects.filter(collaborative=demo, role="lead").count() <= 2


def test_four_workstreams_with_goals_and_leads(demo: Collaborative) -> None:
    workstreams = list(Workstream.objects.filter(collaborative=demo))
    assert [w.name for w in workstreams] == [
        "Medication",
        "Physical health",
        "Safe and reliable care",
        "Leadership",
    ]
    by_slug = {w.slug: w for w in workstreams}
    assert by_slug["safe-and-reliable-care"].subtitle == (
        "Sharing the learning from deaths in mental health"
    )
    assert by_slug["safe-and-reliable-care"].goal_statement.startswith(
        "100% of member organisations will share the learning around deaths"
    )
    assert by_slug["leadership"].subtitle == "Building capability"
    assert "Learn, Live or Lead QI by 30%" in by_slug["leadership"].goal_statement
    for w in workstreams:
        assert w.description and w.goal_statement, w
        assert w.leads.exists(), w


def test_two_themes_with_their_published_principles(demo: Collaborative) -> None:
    themes = list(Theme.objects.filter(collaborative=demo))
    assert [t.name for t in themes] == [
        "Delivering and co-producing person- and family-centred care",
        "Creating a culture for continuous learning and safety",
    ]
    assert [p.text for p in themes[0].principles.all()] == [
        "Honest disclosure and being open",
        "Family and carer involvement at every stage",
        "Family as care givers",
        "Patients as partners in their care",
        "Improving understanding of self-care",
        "Co-production in quality improvement, innovation and design of services",
    ]
    # The published list's "Teamwork and communication" repeats the first principle.
    assert [p.text for p in themes[1].principles.all()] == [
        "Communication and team work",
        "Leadership and psychological safety",
        "Negotiation",
        "Accountability",
        "Transparency",
        "Continuous learning",
        "Reliable processes",
        "Improvement and measurement",
    ]


def test_names_are_fictional(demo: Collaborative) -> None:
    # Real places and bodies from the source material must not leak into the demo.
    real = ("Sussex", "Devon", "Plymouth", "Wessex", "Oxford", "Bristol", "Cornwall", "Kent")
    for name in Organisation.objects.values_list("name", flat=True):
        assert not any(r in name for r in real), name
    assert not Person.objects.filter(full_name__icontains="Byles").exists()


def test_demo_rows_are_attributed_to_the_system_as_demo_data(demo: Collaborative) -> None:
    record = org("avonvale").history.earliest()
    assert record.history_user is None
    assert record.history_change_reason == "Demo data"


# --- Idempotent, deterministic, fast ------------------------------------------------------


def test_second_run_creates_changes_and_records_nothing(demo: Collaborative) -> None:
    before = snapshot()
    results = run_demo()
    assert snapshot() == before
    assert sum(r.stats.created + r.stats.updated for r in results) == 0
    assert [r.step.key for r in results] == [s.key for s in STEPS]


def test_without_refresh_changes_made_in_the_demo_survive(demo: Collaborative) -> None:
    avonvale = org("avonvale")
    avonvale.description = "Edited while trying the demo."
    avonvale.save()
    affiliation = Affiliation.objects.get(person=who("staff_a"), organisation=avonvale)
    affiliation.ended_on = dt.date(2025, 1, 31)
    affiliation.save()
    run_demo()
    assert org("avonvale").description == "Edited while trying the demo."
    assert Affiliation.objects.filter(person=who("staff_a"), organisation=avonvale).count() == 1


def test_refresh_restores_demo_values_once(demo: Collaborative) -> None:
    avonvale = org("avonvale")
    avonvale.description = "Edited while trying the demo."
    avonvale.save()
    pm = who("pm_a")
    pm.set_password("another-long-password-1")
    pm.save()
    run_demo(refresh=True)
    assert org("avonvale").description.startswith("Provides mental health")
    assert who("pm_a").check_password(DEMO_PASSWORD)
    before = snapshot()
    results = run_demo(refresh=True)
    assert snapshot() == before
    assert sum(r.stats.created + r.stats.updated for r in results) == 0


def test_only_runs_the_named_steps(demo: Collaborative) -> None:
    Workstream.objects.filter(slug="medication").delete()
    results = run_demo(only=["workstreams"])
    # The steps it requires run first; with their rows already there they change nothing.
    assert [r.step.key for r in results][-1] == "workstreams"
    assert "themes" not in [r.step.key for r in results]
    assert results[-1].stats.created == 1
    assert sum(r.stats.created + r.stats.updated for r in results[:-1]) == 0
    assert Workstream.objects.filter(collaborative=demo, slug="medication").exists()


# --- Logins and personas --------------------------------------------------------------------


def test_demo_password_passes_the_password_validators(demo: Collaborative) -> None:
    for p in PERSONAS:
        validate_password(DEMO_PASSWORD, user=who(p.key))


@pytest.mark.parametrize("key", [p.key for p in PERSONAS])
def test_each_printed_persona_can_log_in(demo: Collaborative, key: str) -> None:
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": persona(key).email, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302, response.content[:500]
    assert client.session["_auth_user_id"] == str(who(key).pk)


def test_national_admin_runs_the_programme(demo: Collaborative) -> None:
    admin = who("national_admin")
    assert admin.is_staff
    assert admin.has_perm("organisations.change_collaborative", demo)
    assert admin.has_perm("organisations.add_collaborative")
    other = Collaborative.objects.get(slug="northfell-psc")
    assert admin.has_perm("organisations.change_collaborative", other)


def test_collaborative_lead_manages_the_collaborative(demo: Collaborative) -> None:
    lead = who("collab_lead")
    assert lead.has_perm("organisations.change_collaborative", demo)
    assert lead.has_perm("organisations.manage_collaborative_members", demo)
    assert not lead.has_perm(
        "organisations.change_collaborative", Collaborative.objects.get(slug="northfell-psc")
    )


def test_faculty_sees_every_member_trusts_people(demo: Collaborative) -> None:
    faculty = who("faculty")
    for m in CollaborativeMembership.objects.current().filter(collaborative=demo):
        assert faculty.has_perm("organisations.view_organisation_people", m.organisation)
    assert not faculty.has_perm("organisations.change_organisation", org("avonvale"))


def test_programme_manager_edits_their_trust_only(demo: Collaborative) -> None:
    pm = who("pm_a")
    assert pm.has_perm("organisations.change_organisation", org("avonvale"))
    assert pm.has_perm("organisations.invite_to_organisation", org("avonvale"))
    assert not pm.has_perm("organisations.change_organisation", org("brackenmoor"))
    assert (
        CollaborativeMembership.objects.get(
            collaborative=demo, organisation__slug="avonvale"
        ).programme_manager
        == pm
    )


def test_staff_partner_and_viewer_at_trust_a(demo: Collaborative) -> None:
    avonvale = org("avonvale")
    roles = {
        key: Affiliation.objects.get(person=who(key), organisation=avonvale).role
        for key in ("staff_a", "partner_a", "viewer_a")
    }
    assert roles == {"staff_a": "staff", "partner_a": "partner", "viewer_a": "viewer"}
    assert who("partner_a").lived_experience == "carer"
    for key in roles:
        assert who(key).has_perm("organisations.view_organisation_people", avonvale)
        assert not who(key).has_perm("organisations.change_organisation", avonvale)


def test_staff_at_another_trust_cannot_see_trust_a_people(demo: Collaborative) -> None:
    staff_b = who("staff_b")
    avonvale, brackenmoor = org("avonvale"), org("brackenmoor")
    assert staff_b.has_perm("organisations.view_organisation", avonvale)  # a peer trust
    assert not staff_b.has_perm("organisations.view_organisation_people", avonvale)
    assert staff_b.has_perm("organisations.view_organisation_people", brackenmoor)
    assert not staff_b.has_perm("accounts.view_person", who("staff_a"))


def test_trust_a_people_appear_to_its_pm_and_not_to_staff_at_another_trust(
    demo: Collaborative, login: Any
) -> None:
    colleague = who("staff_a").full_name
    mine = login(who("pm_a")).get("/organisations/avonvale/")
    theirs = login(who("staff_b")).get("/organisations/avonvale/")
    assert mine.status_code == theirs.status_code == 200
    assert colleague in mine.content.decode()
    assert colleague not in theirs.content.decode()
    assert login(who("pm_a")).get("/organisations/avonvale/edit/").status_code == 200
    assert login(who("staff_b")).get("/organisations/avonvale/edit/").status_code == 403


# --- The commands ------------------------------------------------------------------------------


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_demo_logins_prints_every_persona(demo: Collaborative) -> None:
    out = run("demo_logins")
    assert "http://127.0.0.1:8000/" in out
    assert DEMO_PASSWORD in out
    for p in PERSONAS:
        assert re.search(rf"{re.escape(p.role)}\s+{re.escape(p.email)}\s+{p.name}\n", out), p
    assert "changed" not in out and "missing" not in out


def test_demo_logins_flags_a_changed_password(demo: Collaborative) -> None:
    pm = who("pm_a")
    pm.set_password("another-long-password-1")
    pm.save()
    out = run("demo_logins")
    assert re.search(r"Priya Willowmere \(changed", out)
    assert "seed_demo --refresh" in out
    assert "Owen Brackenholt (changed" not in out


# --- Learning sessions (events step) ------------------------------------------------------


def test_a_year_of_two_day_learning_sessions(demo: Collaborative) -> None:
    from qicollab.events.models import ActionPeriod, LearningSession

    sessions = list(LearningSession.objects.filter(collaborative=demo).order_by("starts_on"))
    today = timezone.localdate()
    assert sum(s.ends_on < today for s in sessions) == 3
    assert sum(s.starts_on > today for s in sessions) == 2
    assert all((s.ends_on - s.starts_on).days == 1 and s.venue for s in sessions)
    periods = list(ActionPeriod.objects.filter(collaborative=demo).order_by("starts_on"))
    assert len(periods) == len(sessions) - 1
    for before, period, after in zip(sessions[:-1], periods, sessions[1:], strict=True):
        assert before.ends_on < period.starts_on <= period.ends_on < after.starts_on


def test_agendas_have_plenaries_national_presenters_and_workshops_at_every_level(
    demo: Collaborative,
) -> None:
    from qicollab.events.models import AgendaItem

    items = AgendaItem.objects.filter(session__collaborative=demo)
    for s in items.values_list("session", flat=True).distinct():
        kinds = set(items.filter(session=s).values_list("kind", flat=True))
        assert {"plenary", "national", "workshop"} <= kinds
        levels = set(items.filter(session=s, kind="workshop").values_list("level", flat=True))
        assert levels == {1, 2, 3}
    workshops = items.filter(kind="workshop")
    assert not workshops.filter(subject__isnull=True).exists()
    assert workshops.filter(workstream__isnull=False).values("workstream").distinct().count() == 4


def test_places_waiting_list_check_ins_and_workshop_bookings(demo: Collaborative) -> None:
    from qicollab.events.models import LearningSession, Registration, WorkshopBooking

    today = timezone.localdate()
    past = LearningSession.objects.filter(collaborative=demo, ends_on__lt=today)
    for s in past:
        regs = Registration.objects.filter(session=s)
        assert regs.count() >= 25
        assert regs.filter(checked_in_at__isnull=False).count() >= regs.count() * 0.7
    upcoming = LearningSession.objects.filter(collaborative=demo, starts_on__gt=today)
    waiting = Registration.objects.filter(session__in=upcoming, status="waiting")
    assert waiting.exists() and not waiting.filter(checked_in_at__isnull=False).exists()
    full = waiting.first().session
    assert full.registrations.filter(status="booked").count() == full.capacity
    assert WorkshopBooking.objects.filter(workshop__session__collaborative=demo).count() > 100
    # The demo's staff member went before and has the next sessions still to book.
    owen = who("staff_a")
    assert Registration.objects.filter(person=owen, session__in=past).count() == 3
    assert not Registration.objects.filter(person=owen, session__in=upcoming).exists()
