"""Who sees a report, the LfE lead's pages, the leads page and the roll-up: every persona,
an outsider and a visitor who is not signed in."""

from __future__ import annotations

from typing import Any

import pytest

from qicollab.excellence import services
from qicollab.excellence.services import Consent
from tests.excellence import factories as xf
from tests.excellence.conftest import Lfe

EVERYONE = (
    "national_admin",
    "collab_lead",
    "faculty",
    "pm_a",
    "staff_a",
    "partner_a",
    "viewer_a",
    "staff_b",
    "pm_o",
    "outsider",
    "recipient",
    "manager",
    "ward_leader",
    "lead",
)


@pytest.fixture
def report(lfe: Lfe) -> Any:
    return xf.report(lfe.p["staff_a"], lfe.world.trust_a, people=[lfe.recipient], anonymous=True)


def _status(login: Any, person: Any, url: str) -> int:
    return int(login(person).get(url).status_code)


def test_report_visible_to_reporter_recipient_and_lead_only(
    lfe: Lfe, report: Any, login: Any
) -> None:
    url = f"/excellence/reports/{report.pk}/"
    allowed = {"staff_a", "recipient", "lead"}
    for name in EVERYONE:
        expected = 200 if name in allowed else 404
        assert _status(login, lfe.p[name], url) == expected, name
    assert login(None).get(url).status_code == 302


def test_anonymous_reporter_hidden_from_recipient_and_manager(
    lfe: Lfe, report: Any, login: Any
) -> None:
    url = f"/excellence/reports/{report.pk}/"
    name = lfe.p["staff_a"].full_name

    def report_part(person: Any) -> str:
        # The report itself, above the recipient's choices (whose line-manager list names
        # every colleague, the reporter among them, without saying who wrote what).
        return str(login(person).get(url).content.decode().split('id="choices"')[0])

    seen = report_part(lfe.recipient)
    assert name not in seen and "A colleague (anonymous)" in seen
    assert f"{name} (anonymous to the recipients)" in report_part(lfe.lead)
    assert f"{name} (anonymous to the recipients)" in report_part(lfe.p["staff_a"])
    services.recipient_respond(
        actor=lfe.recipient,
        recipient=report.recipients.get(),
        consent=Consent(keep=True, tell_manager=True, share_wider=False, line_manager=lfe.manager),
    )
    assert login(lfe.manager).get(url).status_code == 200
    seen = report_part(lfe.manager)
    assert name not in seen and "A colleague (anonymous)" in seen


def test_manager_sees_only_with_consent_and_wider_sharing_needs_everyone(
    lfe: Lfe, login: Any
) -> None:
    second = lfe.p["partner_a"]
    report = xf.report(lfe.p["staff_a"], lfe.world.trust_a, people=[lfe.recipient, second])
    url = f"/excellence/reports/{report.pk}/"
    rows = {r.person_id: r for r in report.recipients.all()}
    services.recipient_respond(
        actor=lfe.recipient,
        recipient=rows[lfe.recipient.pk],
        consent=Consent(keep=True, tell_manager=False, share_wider=True, line_manager=lfe.manager),
    )
    # The manager is named but not to be told; one of two recipients agreed to share.
    assert _status(login, lfe.manager, url) == 404
    assert _status(login, lfe.p["viewer_a"], url) == 404
    services.recipient_respond(
        actor=second, recipient=rows[second.pk], consent=Consent(True, False, True)
    )
    # Everyone agreed: the organisation's people see it; other organisations still do not.
    for name in ("viewer_a", "pm_a", "manager", "ward_leader"):
        assert _status(login, lfe.p[name], url) == 200, name
    for name in ("staff_b", "pm_o", "outsider", "collab_lead", "faculty", "national_admin"):
        assert _status(login, lfe.p[name], url) == 404, name
    shared = login(lfe.p["viewer_a"]).get(f"/excellence/{lfe.world.trust_a.slug}/shared/")
    assert f"/excellence/reports/{report.pk}/" in shared.content.decode()


def test_team_report_reaches_the_unit_leader(lfe: Lfe, login: Any) -> None:
    report = xf.report(lfe.p["staff_a"], lfe.world.trust_a, teams=[lfe.ward])
    assert _status(login, lfe.ward_leader, f"/excellence/reports/{report.pk}/") == 200
    assert _status(login, lfe.recipient, f"/excellence/reports/{report.pk}/") == 404


def test_lead_pages(lfe: Lfe, login: Any) -> None:
    org = lfe.world.trust_a.slug
    theme = services.theme_create(actor=lfe.lead, organisation=lfe.world.trust_a, name="Kindness")
    urls = [
        f"/excellence/{org}/lead/",
        f"/excellence/{org}/lead/export.csv",
        f"/excellence/{org}/lead/export.xlsx",
        f"/excellence/{org}/lead/themes/{theme.slug}/",
        f"/excellence/{org}/lead/inquiries/new/",
    ]
    own_org = {"pm_a", "staff_a", "partner_a", "viewer_a", "recipient", "manager", "ward_leader"}
    for url in urls:
        for name in EVERYONE:
            expected = 200 if name == "lead" else 403 if name in own_org else 404
            assert _status(login, lfe.p[name], url) == expected, (name, url)


def test_leads_page_for_the_programme_manager(lfe: Lfe, login: Any) -> None:
    url = f"/excellence/{lfe.world.trust_a.slug}/lead/leads/"
    own_org = {"staff_a", "partner_a", "viewer_a", "recipient", "manager", "ward_leader", "lead"}
    for name in EVERYONE:
        expected = 200 if name == "pm_a" else 403 if name in own_org else 404
        assert _status(login, lfe.p[name], url) == expected, name


def test_rollup_for_the_collaborative_only(lfe: Lfe, login: Any) -> None:
    url = f"/excellence/collaboratives/{lfe.world.collab.slug}/"
    outside = {"pm_o", "outsider"}
    for name in EVERYONE:
        expected = 404 if name in outside else 200
        assert _status(login, lfe.p[name], url) == expected, name


def test_rollup_names_no_one(lfe: Lfe, login: Any) -> None:
    xf.report(lfe.p["staff_a"], lfe.world.trust_a, people=[lfe.recipient])
    page = login(lfe.p["staff_b"]).get(f"/excellence/collaboratives/{lfe.world.collab.slug}/")
    html = page.content.decode()
    assert lfe.recipient.full_name not in html
    assert lfe.p["staff_a"].full_name not in html
    assert "Stayed after her shift" not in html
