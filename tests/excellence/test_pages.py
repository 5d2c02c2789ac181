"""Pages: report excellence (bad input keeps what was typed), the recipient's copy and
choices, the LfE lead's dashboard, themes into projects, inquiries; query budgets."""

from __future__ import annotations

from typing import Any

from qicollab.excellence import services
from qicollab.excellence.models import ExcellenceReport, Recipient
from qicollab.projects.models import Project
from tests.excellence import factories as xf
from tests.excellence.conftest import Lfe


def test_report_form_refuses_no_recipient_and_keeps_the_text(lfe: Lfe, login: Any) -> None:
    c = login(lfe.p["staff_a"])
    url = f"/excellence/{lfe.world.trust_a.slug}/report/"
    assert c.get(url).status_code == 200
    resp = c.post(
        url,
        {"work_kind": "clinical", "what_they_did": "Calmed the ward", "why_excellent": ""},
    )
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "There is a problem" in html
    assert "at least one person or a team" in html
    assert "Say why it was excellent." in html
    assert "Calmed the ward" in html
    assert not ExcellenceReport.objects.exists()


def test_report_form_refuses_a_patient_name(lfe: Lfe, login: Any) -> None:
    resp = login(lfe.p["staff_a"]).post(
        f"/excellence/{lfe.world.trust_a.slug}/report/",
        {
            "people": lfe.recipient.pk,
            "work_kind": "clinical",
            "what_they_did": "Sat with Mr Hargreaves in bed 3 until his family came.",
            "why_excellent": "Kindness",
        },
    )
    html = resp.content.decode()
    assert "looks like a patient&#39;s name" in html or "looks like a patient's name" in html
    assert "Sat with Mr Hargreaves" in html
    assert not ExcellenceReport.objects.exists()


def test_report_and_the_recipients_copy(lfe: Lfe, login: Any, mailoutbox: Any) -> None:
    resp = login(lfe.p["staff_a"]).post(
        f"/excellence/{lfe.world.trust_a.slug}/report/",
        {
            "people": lfe.recipient.pk,
            "teams": lfe.ward.pk,
            "work_kind": "non_clinical",
            "what_they_did": "Found a bed in a storm.",
            "why_excellent": "Nobody waited.",
            "anonymous": "on",
        },
    )
    report = ExcellenceReport.objects.get()
    assert resp.status_code == 302 and resp.url == f"/excellence/reports/{report.pk}/"
    assert report.anonymous and report.recipients.count() == 2
    assert {m.to[0] for m in mailoutbox} == {
        "recipient@example.nhs.uk",
        "ward_leader@example.nhs.uk",
    }
    rc = login(lfe.recipient)
    inbox = rc.get("/excellence/").content.decode()
    assert "New for you (1)" in inbox and "Found a bed in a storm." in inbox
    resp = rc.post(
        f"/excellence/reports/{report.pk}/choices/",
        {"keep": "on", "tell_manager": "on", "line_manager": ""},
    )
    assert "Choose your line manager" in resp.content.decode()
    resp = rc.post(
        f"/excellence/reports/{report.pk}/choices/",
        {"keep": "on", "tell_manager": "on", "line_manager": lfe.manager.pk},
    )
    assert resp.status_code == 302
    assert mailoutbox[-1].to == ["manager@example.nhs.uk"]
    page = rc.get("/excellence/").content.decode()
    assert "New for you (1)" not in page and "Found a bed in a storm." in page
    # Someone who is not a recipient cannot answer for them.
    resp = login(lfe.lead).post(f"/excellence/reports/{report.pk}/choices/", {"keep": "on"})
    assert resp.status_code == 403
    assert Recipient.objects.filter(answered_at__isnull=False).count() == 1


def test_lead_acknowledges_tags_and_turns_a_theme_into_a_project(lfe: Lfe, login: Any) -> None:
    report = xf.report(lfe.p["staff_a"], lfe.world.trust_a, people=[lfe.recipient])
    c = login(lfe.lead)
    org = lfe.world.trust_a.slug
    assert c.post(f"/excellence/{org}/lead/themes/new/", {"name": ""}).status_code == 200
    assert c.post(f"/excellence/{org}/lead/themes/new/", {"name": "Kindness"}).status_code == 302
    from qicollab.excellence.models import Theme

    theme = Theme.objects.get()
    resp = c.post(f"/excellence/reports/{report.pk}/themes/", {"themes": [theme.pk]})
    assert resp.status_code == 302 and list(report.themes.all()) == [theme]
    resp = c.post(f"/excellence/reports/{report.pk}/acknowledge/", {"message": ""})
    assert "Write a message" in resp.content.decode()
    c.post(f"/excellence/reports/{report.pk}/acknowledge/", {"message": "Brilliant work"})
    assert (
        "Brilliant work"
        in login(lfe.recipient).get(f"/excellence/reports/{report.pk}/").content.decode()
    )
    resp = c.post(
        f"/excellence/{org}/lead/themes/{theme.slug}/project/",
        {"collaborative": lfe.world.collab.pk, "title": "Kindness at scale"},
    )
    project = Project.objects.get()
    assert resp.status_code == 302 and resp.url == project.get_absolute_url()
    assert project.lead_organisation == lfe.world.trust_a
    dash = c.get(f"/excellence/{org}/lead/").content.decode()
    assert "Kindness at scale" in dash and "Reports per theme per month" in dash


def test_inquiry_form(lfe: Lfe, login: Any) -> None:
    c = login(lfe.lead)
    org = lfe.world.trust_a.slug
    resp = c.post(f"/excellence/{org}/lead/inquiries/new/", {"held_on": "2020-01-01"})
    assert "Say what made this go well." in resp.content.decode()
    resp = c.post(
        f"/excellence/{org}/lead/inquiries/new/",
        {
            "held_on": "2020-01-01",
            "attendees": "Ward manager, two nurses",
            "went_well": "Clear roles",
            "every_time": "Add roles to the huddle board",
        },
    )
    assert resp.status_code == 302
    assert "Clear roles" in c.get(resp.url).content.decode()


def test_list_pages_have_a_query_budget(
    lfe: Lfe, login: Any, django_assert_max_num_queries: Any
) -> None:
    theme = services.theme_create(actor=lfe.lead, organisation=lfe.world.trust_a, name="Kindness")
    for i in range(12):
        r = xf.report(
            lfe.p["staff_a"],
            lfe.world.trust_a,
            people=[lfe.recipient],
            teams=[lfe.ward] if i % 2 else [],
            unit=lfe.ward,
        )
        r.themes.add(theme)
    org = lfe.world.trust_a.slug
    pages = [
        (lfe.recipient, "/excellence/"),
        (lfe.p["staff_a"], "/excellence/"),
        (lfe.lead, f"/excellence/{org}/lead/"),
        (lfe.lead, f"/excellence/{org}/lead/export.csv"),
        (lfe.p["staff_b"], f"/excellence/collaboratives/{lfe.world.collab.slug}/"),
        (lfe.p["viewer_a"], f"/excellence/{org}/shared/"),
    ]
    for person, url in pages:
        c = login(person)
        c.get(url)
        with django_assert_max_num_queries(25):
            assert c.get(url).status_code == 200, url


def test_exports_go_through_the_tabular_writer(lfe: Lfe, login: Any) -> None:
    xf.report(
        lfe.p["staff_a"],
        lfe.world.trust_a,
        people=[lfe.recipient],
        what_they_did="=HYPERLINK(1) she stayed late",
        anonymous=True,
    )
    c = login(lfe.lead)
    org = lfe.world.trust_a.slug
    text = c.get(f"/excellence/{org}/lead/export.csv").content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Report,Date,Organisation")
    assert "'=HYPERLINK(1)" in text  # a formula is neutralised
    assert "Staff A (anonymous to the recipients)" in text
    xlsx = c.get(f"/excellence/{org}/lead/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert c.get(f"/excellence/{org}/lead/export.pdf").status_code == 404
