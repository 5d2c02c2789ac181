"""Services: reporting, consent, acknowledgement, themes, projects, inquiries, leads."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from qicollab.excellence import services
from qicollab.excellence.models import ExcellenceReport, LfeLead, Recipient
from qicollab.excellence.services import Consent, ExcellenceError, InquiryInput, ReportInput
from qicollab.projects.models import Project
from tests import factories as f
from tests.excellence import factories as xf
from tests.excellence.conftest import Lfe


def _input(lfe: Lfe, **kw: Any) -> ReportInput:
    data: dict[str, Any] = {
        "organisation": lfe.world.trust_a,
        "what_they_did": "Spotted a deteriorating patient early.",
        "why_excellent": "Escalated clearly with SBAR.",
        "people": [lfe.recipient],
        **kw,
    }
    return ReportInput(**data)


def test_report_sends_each_recipient_a_copy(lfe: Lfe, mailoutbox: Any) -> None:
    staff = lfe.p["staff_a"]
    report = services.report_create(
        actor=staff, data=_input(lfe, teams=[lfe.ward], anonymous=True, unit=lfe.ward)
    )
    rows = list(report.recipients.order_by("id"))
    assert [r.person for r in rows] == [lfe.recipient, None]
    assert rows[1].unit == lfe.ward
    to = sorted(m.to[0] for m in mailoutbox)
    assert to == ["recipient@example.nhs.uk", "ward_leader@example.nhs.uk"]
    body = mailoutbox[0].body
    assert "Spotted a deteriorating patient early." in body
    # Anonymous: the email never names the reporter.
    assert staff.full_name not in body and "A colleague" in body


def test_no_recipient_and_empty_text_are_refused_together(lfe: Lfe) -> None:
    with pytest.raises(ExcellenceError) as exc:
        services.report_create(
            actor=lfe.p["staff_a"],
            data=_input(lfe, people=[], what_they_did="  ", why_excellent=""),
        )
    assert set(exc.value.errors) == {"people", "what_they_did", "why_excellent"}
    assert "at least one person or a team" in exc.value.errors["people"][0]
    assert not ExcellenceReport.objects.exists()


def test_patient_identifiers_are_refused(lfe: Lfe) -> None:
    with pytest.raises(ExcellenceError) as exc:
        services.report_create(
            actor=lfe.p["staff_a"],
            data=_input(
                lfe,
                what_they_did="Sat with Mrs Jones all night.",
                learning="Her NHS number 943 476 5919 was checked twice.",
            ),
        )
    assert "“Mrs Jones” looks like a patient's name" in exc.value.errors["what_they_did"][0]
    assert "NHS number" in exc.value.errors["learning"][0]
    assert not ExcellenceReport.objects.exists()


def test_recipients_names_and_staff_titles_are_allowed(lfe: Lfe) -> None:
    report = services.report_create(
        actor=lfe.p["staff_a"],
        data=_input(
            lfe, what_they_did="Recipient and Dr Ash ran the resus calmly with Mr Recipient."
        ),
    )
    assert report.pk


def test_recipient_outside_the_organisation_and_self_are_refused(lfe: Lfe) -> None:
    with pytest.raises(ExcellenceError) as exc:
        services.report_create(actor=lfe.p["staff_a"], data=_input(lfe, people=[lfe.p["staff_b"]]))
    assert "does not work for" in exc.value.errors["people"][0]
    with pytest.raises(ExcellenceError) as exc:
        services.report_create(actor=lfe.p["staff_a"], data=_input(lfe, people=[lfe.p["staff_a"]]))
    assert "cannot be a recipient" in exc.value.errors["people"][0]


def test_future_date_and_foreign_org_refused(lfe: Lfe) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=2)
    with pytest.raises(ExcellenceError) as exc:
        services.report_create(actor=lfe.p["staff_a"], data=_input(lfe, happened_on=tomorrow))
    assert "future" in exc.value.errors["happened_on"][0]
    with pytest.raises(ExcellenceError):
        services.report_create(
            actor=lfe.p["staff_b"], data=_input(lfe, organisation=lfe.world.trust_a)
        )


def test_manager_told_only_with_consent(lfe: Lfe, mailoutbox: Any) -> None:
    report = xf.report(lfe.p["staff_a"], lfe.world.trust_a, people=[lfe.recipient])
    mailoutbox.clear()
    row = report.recipients.get()
    services.recipient_respond(
        actor=lfe.recipient,
        recipient=row,
        consent=Consent(keep=True, tell_manager=False, share_wider=False, line_manager=lfe.manager),
    )
    assert mailoutbox == []
    services.recipient_respond(
        actor=lfe.recipient,
        recipient=row,
        consent=Consent(keep=True, tell_manager=True, share_wider=False),
    )
    assert [m.to[0] for m in mailoutbox] == ["manager@example.nhs.uk"]
    # Answering again does not tell the manager twice.
    services.recipient_respond(
        actor=lfe.recipient,
        recipient=row,
        consent=Consent(keep=True, tell_manager=True, share_wider=True),
    )
    assert len(mailoutbox) == 1


def test_only_the_recipient_answers_and_manager_must_be_named(lfe: Lfe) -> None:
    report = xf.report(lfe.p["staff_a"], lfe.world.trust_a, people=[lfe.recipient])
    row = report.recipients.get()
    with pytest.raises(ExcellenceError):
        services.recipient_respond(
            actor=lfe.p["staff_a"], recipient=row, consent=Consent(True, False, True)
        )
    with pytest.raises(ExcellenceError) as exc:
        services.recipient_respond(
            actor=lfe.recipient, recipient=row, consent=Consent(True, True, False)
        )
    assert exc.value.field == "line_manager"
    with pytest.raises(ExcellenceError):
        services.recipient_respond(
            actor=lfe.recipient,
            recipient=row,
            consent=Consent(True, True, False, line_manager=lfe.p["staff_b"]),
        )
    row.refresh_from_db()
    assert row.answered_at is None


def test_team_leader_answers_for_the_team(lfe: Lfe) -> None:
    report = xf.report(lfe.p["staff_a"], lfe.world.trust_a, teams=[lfe.ward])
    row = report.recipients.get()
    services.recipient_respond(
        actor=lfe.ward_leader, recipient=row, consent=Consent(True, False, True)
    )
    assert Recipient.objects.get().share_wider


def test_acknowledge_and_themes_by_lead_only(lfe: Lfe, mailoutbox: Any) -> None:
    report = xf.report(lfe.p["staff_a"], lfe.world.trust_a, people=[lfe.recipient])
    mailoutbox.clear()
    with pytest.raises(ExcellenceError):
        services.report_acknowledge(actor=lfe.p["pm_a"], report=report, message="Thank you")
    ack = services.report_acknowledge(actor=lfe.lead, report=report, message="Thank you")
    assert ack.title == "Chief Nurse"
    assert [m.to[0] for m in mailoutbox] == ["recipient@example.nhs.uk"]
    with pytest.raises(ExcellenceError) as exc:
        services.report_acknowledge(actor=lfe.lead, report=report, message=" ")
    assert exc.value.field == "message"
    theme = services.theme_create(actor=lfe.lead, organisation=lfe.world.trust_a, name="Kindness")
    with pytest.raises(ExcellenceError):
        services.theme_create(actor=lfe.lead, organisation=lfe.world.trust_a, name="kindness")
    services.report_set_themes(actor=lfe.lead, report=report, themes=[theme])
    assert list(report.themes.all()) == [theme]
    with pytest.raises(ExcellenceError):
        services.theme_create(actor=lfe.p["staff_a"], organisation=lfe.world.trust_a, name="X")


def test_theme_becomes_a_project_through_the_projects_service(lfe: Lfe) -> None:
    theme = services.theme_create(actor=lfe.lead, organisation=lfe.world.trust_a, name="Handover")
    project = services.theme_start_project(
        actor=lfe.lead, theme=theme, collaborative=lfe.world.collab, title="Better handovers"
    )
    assert project.lead_organisation == lfe.world.trust_a
    assert project.members.filter(person=lfe.lead, role="lead").exists()
    theme.refresh_from_db()
    assert theme.project == project
    with pytest.raises(ExcellenceError):
        services.theme_start_project(
            actor=lfe.lead, theme=theme, collaborative=lfe.world.collab, title="Again"
        )
    # Not a member of the other collaborative: the projects service refuses it.
    other = services.theme_create(actor=lfe.lead, organisation=lfe.world.trust_a, name="Teamwork")
    with pytest.raises(Exception, match="cannot lead a project"):
        services.theme_start_project(
            actor=lfe.lead, theme=other, collaborative=lfe.world.other_collab, title="No"
        )
    assert Project.objects.count() == 1


def test_theme_links_to_an_existing_project(lfe: Lfe) -> None:
    theme = services.theme_create(actor=lfe.lead, organisation=lfe.world.trust_a, name="Falls")
    mine = services.theme_start_project(
        actor=lfe.lead,
        theme=services.theme_create(actor=lfe.lead, organisation=lfe.world.trust_a, name="Seed"),
        collaborative=lfe.world.collab,
        title="Falls prevention",
    )
    services.theme_link_project(actor=lfe.lead, theme=theme, project=mine)
    assert theme.project == mine
    from qicollab.projects.services import project_create

    foreign = project_create(
        actor=lfe.p["staff_b"],
        collaborative=lfe.world.collab,
        lead_organisation=lfe.world.trust_b,
        title="Brook project",
    )
    with pytest.raises(ExcellenceError):
        services.theme_link_project(actor=lfe.lead, theme=theme, project=foreign)


def test_inquiry_requires_its_questions(lfe: Lfe) -> None:
    org = lfe.world.trust_a
    with pytest.raises(ExcellenceError) as exc:
        services.inquiry_create(
            actor=lfe.lead,
            organisation=org,
            data=InquiryInput(
                held_on=timezone.localdate(), attendees="", went_well="", every_time=""
            ),
        )
    assert set(exc.value.errors) == {"attendees", "went_well", "every_time"}
    inquiry = services.inquiry_create(
        actor=lfe.lead,
        organisation=org,
        data=InquiryInput(
            held_on=timezone.localdate(),
            attendees="Ward manager, two nurses, a physiotherapist",
            went_well="Everyone knew the plan at handover.",
            every_time="Make the plan part of the handover sheet.",
        ),
    )
    assert inquiry.pk
    with pytest.raises(ExcellenceError):
        services.inquiry_create(
            actor=lfe.p["staff_a"],
            organisation=org,
            data=InquiryInput(timezone.localdate(), "a", "b", "c"),
        )


def test_leads_are_managed_by_the_programme_manager(lfe: Lfe) -> None:
    org = lfe.world.trust_a
    with pytest.raises(ExcellenceError):
        services.lead_add(actor=lfe.lead, organisation=org, person=lfe.p["staff_a"])
    new = services.lead_add(actor=lfe.p["pm_a"], organisation=org, person=lfe.p["staff_a"])
    with pytest.raises(ExcellenceError):
        services.lead_add(actor=lfe.p["pm_a"], organisation=org, person=lfe.p["staff_a"])
    with pytest.raises(ExcellenceError):
        services.lead_add(actor=lfe.p["pm_a"], organisation=org, person=lfe.p["staff_b"])
    services.lead_remove(actor=lfe.p["pm_a"], lead=new)
    assert not LfeLead.objects.filter(person=lfe.p["staff_a"]).exists()
    f.PersonFactory()  # nothing else changed
