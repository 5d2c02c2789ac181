"""Every export endpoint, fed hostile text, hands back no live formula and never fails.

Organisation, collaborative, programme, measure and person names, notes and case details
are set to text a spreadsheet would run (``=HYPERLINK(...)``, ``+1``, ``@SUM(A1)``,
``-2+3``, tab and CR prefixes, a NUL where the database can hold one). Each spreadsheet is
read back (openpyxl for XLSX, csv for CSV) and no cell may be a formula or begin like one;
each PDF must render. The export URLs are discovered from the URL configuration, so a new
export endpoint that is not listed here fails :func:`test_every_export_endpoint_is_covered`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from pypdf import PdfReader

from qicollab.capability.models import Course, EnrolmentStatus
from qicollab.deaths.models import Death
from qicollab.excellence.models import ExcellenceReport
from qicollab.huddles import services as huddle_services
from qicollab.huddles.models import Huddle
from qicollab.measures import exporting
from qicollab.measures.models import DataPoint, Measure
from qicollab.organisations.models import Collaborative, NationalProgramme, Organisation
from qicollab.projects.models import Project
from qicollab.reports.tabular import FORMULA_PREFIXES
from tests import factories as f
from tests.culture.factories import add_responses, make_wave
from tests.deaths.conftest import make_case
from tests.excellence import factories as lfe
from tests.huddles.factories import make_ward
from tests.jobs.reports import download_report
from tests.measures.conftest import fill
from tests.national.conftest import Q

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("http://x","y")'
TITLE = 'Ward "7" & </style><b>bold</b> =1+1'  # breaks a naive CSS string in the PDF footer


def _nul(text: str) -> str:
    # PostgreSQL cannot store NUL in text (input validation refuses it); SQLite can, and
    # the export must then survive it.
    return ("\x00" + text) if connection.vendor == "sqlite" else text


@dataclass
class Export:
    name: str  # the URL name, "app:name"
    url: str
    who: Any
    kind: str  # csv, xlsx or pdf
    carries_text: bool = True  # False: figures and fixed labels only


@dataclass
class Hostile:
    world: Any
    project: Project
    measure: Measure
    enrolment: Any
    unit: Any = None  # a ward with a hostile huddle (huddles)
    wave: Any = None  # a closed culture survey wave with responses (culture)

    def exports(self) -> list[Export]:
        p, slug = self.world.people, self.project.slug
        m = [slug, self.measure.pk]
        trust = self.world.trust_a.slug
        deaths_q = "?start=2025-Q1&end=2025-Q2"
        national = reverse("national:rollup_export", args=[self.world.programme.slug, "x"])
        out = [
            Export(
                "measures:export_csv", reverse("measures:export_csv", args=m), p["staff_a"], "csv"
            ),
            Export(
                "measures:export_xlsx",
                reverse("measures:export_xlsx", args=m),
                p["staff_a"],
                "xlsx",
            ),
            Export(
                "measures:project_export_csv",
                reverse("measures:project_export_csv", args=[slug]),
                p["staff_a"],
                "csv",
            ),
            Export(
                "measures:project_export_xlsx",
                reverse("measures:project_export_xlsx", args=[slug]),
                p["staff_a"],
                "xlsx",
            ),
            Export(
                "measures:storyboard_a4",
                reverse("measures:storyboard_a4", args=[slug]),
                p["staff_a"],
                "pdf",
            ),
            Export(
                "measures:storyboard_a3",
                reverse("measures:storyboard_a3", args=[slug]),
                p["staff_a"],
                "pdf",
            ),
            Export(
                "deaths:cases_export",
                reverse("deaths:cases_export", args=[trust]),
                p["staff_a"],
                "csv",
            ),
            Export(
                "capability:certificate",
                reverse("capability:certificate", args=[self.enrolment.pk]),
                p["pm_a"],
                "pdf",
            ),
        ]
        for fmt in ("csv", "xlsx", "pdf"):
            out.append(
                Export(
                    "deaths:dashboard_export",
                    reverse("deaths:dashboard_export", args=[trust, fmt]) + deaths_q,
                    p["faculty"],
                    fmt,
                    carries_text=fmt != "csv",  # the CSV has no organisation name
                )
            )
            out.append(
                Export(
                    "national:rollup_export",
                    national.removesuffix("x") + f"{fmt}?quarter={Q.slug}",
                    p["national_admin"],
                    fmt,
                )
            )
        unit, wu = self.unit.pk, self.wave.wave_units.get()
        out += [
            Export(
                "huddles:export",
                reverse("huddles:export", args=[unit, what]),
                p["staff_a"],
                "csv",
                carries_text=what == "huddles",  # harm events: codes, dates and figures
            )
            for what in ("huddles", "harm-events")
        ]
        out += [
            Export(
                "excellence:export", reverse("excellence:export", args=[trust, fmt]), p["pm_a"], fmt
            )
            for fmt in ("csv", "xlsx")
        ]
        results = [self.wave.pk, wu.pk]
        out += [
            # The culture results carry the instrument's fixed texts and figures only.
            Export(
                "culture:results_csv",
                reverse("culture:results_csv", args=results),
                p["pm_a"],
                "csv",
                carries_text=False,
            ),
            Export(
                "culture:results_pdf",
                reverse("culture:results_pdf", args=results),
                p["pm_a"],
                "pdf",
            ),
        ]
        return out


@pytest.fixture
def hostile(teams: Any, nation: Any, project: Project, make_measure: Any) -> Hostile:
    w = nation.world
    actor = w.people["staff_a"]
    measure = make_measure(name="Minutes to first review", value_type="measurement", chart_type="i")
    fill(measure, actor, [3.5, -2.5, 4, 5, 6])
    # Hostile text is written with update(): it is what may already be stored, whatever
    # the forms and services now refuse.
    Measure.objects.filter(pk=measure.pk).update(name=LINK, numerator_definition="+1")
    points = DataPoint.objects.filter(measure=measure).order_by("period")
    notes = ["@SUM(A1)", "-2+3", "\t=1+1", "\r=1+1", _nul("=1+1")]
    for point, note in zip(points, notes, strict=True):
        DataPoint.objects.filter(pk=point.pk).update(note=note)
    Project.objects.filter(pk=project.pk).update(title=TITLE)
    Organisation.objects.filter(pk=w.trust_a.pk).update(name=LINK)
    Organisation.objects.filter(pk=w.trust_b.pk).update(name="-2+3")
    Organisation.objects.filter(pk=nation.care_home.pk).update(name=_nul("\t=1+1"))
    Collaborative.objects.filter(pk=w.collab.pk).update(name="@SUM(A1)")
    Collaborative.objects.filter(pk=nation.second.pk).update(name="\r=1+1")
    NationalProgramme.objects.filter(pk=w.programme.pk).update(name="+1 programme")
    case = make_case(teams, case_reference="LfD-A-900", date_of_death=dt.date(2025, 5, 10))
    Death.objects.filter(pk=case.pk).update(case_reference="@SUM(A1)", service="=1+1")
    course = f.CourseFactory(collaborative=w.collab, title="Silver QI", slug="silver-qi")
    Course.objects.filter(pk=course.pk).update(title=LINK)
    cohort = f.CohortFactory(course=course, name="-2+3")
    enrolment = f.EnrolmentFactory(
        cohort=cohort,
        person=actor,
        organisation=w.trust_a,
        status=EnrolmentStatus.COMPLETED,
        completed_on=dt.date(2025, 6, 1),
    )
    type(actor).objects.filter(pk=actor.pk).update(full_name="=Staff A")
    for obj in (w.trust_a, w.collab, w.programme, project):
        obj.refresh_from_db()
    measure.refresh_from_db()
    # A ward whose huddle notes and actions hold formula-like text (huddles export).
    ward = make_ward(w.trust_a, name="Hostile ward", nurse=actor)
    huddle = huddle_services.huddle_create(
        actor=actor,
        unit=ward.unit,
        data=huddle_services.HuddleInput(held_on=dt.date(2025, 6, 2), shift="day"),
    )
    Huddle.objects.filter(pk=huddle.pk).update(look_back="=1+1", recognition=LINK)
    # An LfE report about staff A whose text is formula-like (excellence export, for the
    # organisation's LfE lead, pm_a).
    lfe.lead(w.people["pm_a"], w.trust_a)
    rep = lfe.report(actor, w.trust_a, people=[w.people["pm_a"]])
    ExcellenceReport.objects.filter(pk=rep.pk).update(what_they_did="@SUM(A1)", learning="-2+3")
    wave = make_wave(nation.world, leader=w.people["pm_a"])
    add_responses(wave.wave_units.get(), 12, value=4)
    return Hostile(w, project, measure, enrolment, unit=ward.unit, wave=wave)


# The certificate and the one-page culture debrief pack render in the request.
SYNCHRONOUS_PDFS = {"capability:certificate", "culture:results_pdf"}

# --- discovery ----------------------------------------------------------------------------

EXPORT_ROUTE = re.compile(r"export|\.(csv|xlsx|pdf)$|\.<str:fmt>$")


def _patterns(resolvers: list[Any], namespace: str = "") -> Iterator[tuple[str, str]]:
    for p in resolvers:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            yield from _patterns(p.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", str(p.pattern)


def export_url_names() -> set[str]:
    """Every URL whose route is a download of a file (an export, CSV, Excel or PDF)."""
    return {
        name for name, route in _patterns(get_resolver().url_patterns) if EXPORT_ROUTE.search(route)
    }


def test_every_export_endpoint_is_covered(hostile: Hostile) -> None:
    covered = {e.name for e in hostile.exports()}
    missing = export_url_names() - covered
    assert not missing, f"Add these export endpoints to the hostile-text test: {missing}"
    assert covered <= export_url_names()


# --- the checks ---------------------------------------------------------------------------


def formula_like(text: str) -> bool:
    """Text a spreadsheet would treat as a formula (a plain number such as -2.5 is not)."""
    if not text.startswith(FORMULA_PREFIXES):
        return False
    try:
        float(text)
    except ValueError:
        return True
    return False


def check_xlsx(body: bytes) -> list[str]:
    """Every string cell, after checking no cell in any sheet is or looks like a formula."""
    wb = openpyxl.load_workbook(io.BytesIO(body))
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    assert not formula_like(cell.value), f"{ws.title}!{cell.coordinate}"
                    texts.append(cell.value)
    return texts


def check_csv(body: bytes) -> list[str]:
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert rows, "an empty CSV"
    fields = [v for row in rows for v in row]
    bad = [v for v in fields if formula_like(v)]
    assert not bad, bad
    assert not any("\x00" in v for v in fields)
    return fields


def test_no_export_hands_a_spreadsheet_a_formula(hostile: Hostile, login: Any) -> None:
    for e in hostile.exports():
        if e.kind == "pdf":
            continue
        resp = login(e.who).get(e.url)
        assert resp.status_code == 200, (e.url, resp.status_code)
        texts = check_xlsx(resp.content) if e.kind == "xlsx" else check_csv(resp.content)
        # The hostile text reached the export (neutralised), so the check above meant something.
        assert not e.carries_text or any(
            t.startswith("'") and t[1:2] in "=+-@\t\r" for t in texts
        ), e.url


def test_true_negative_numbers_stay_numbers(hostile: Hostile, login: Any) -> None:
    resp = login(hostile.world.people["staff_a"]).get(
        reverse("measures:export_xlsx", args=[hostile.project.slug, hostile.measure.pk])
    )
    ws = openpyxl.load_workbook(io.BytesIO(resp.content))["Data"]
    values = [c.value for c in ws["B"][1:]]
    assert -2.5 in values and ws["B3"].data_type == "n"
    notes = [c.value for c in ws["C"][1:]]
    # (XML reads a stored carriage return back as a line feed.)
    assert notes[:3] == ["'@SUM(A1)", "'-2+3", "'\t=1+1"] and notes[3].startswith("'")


def test_the_reported_sheets_are_neutralised(hostile: Hostile, login: Any) -> None:
    """The two exports the issue found: the roll-up's Organisations sheet, the deaths export."""
    p = hostile.world.people
    rollup = login(p["national_admin"]).get(
        reverse("national:rollup_export", args=[hostile.world.programme.slug, "xlsx"])
        + f"?quarter={Q.slug}"
    )
    orgs = openpyxl.load_workbook(io.BytesIO(rollup.content))["Organisations"]
    names = [c.value for c in orgs["B"][1:]]
    assert "'" + LINK in names and "'-2+3" in names
    deaths = login(p["faculty"]).get(
        reverse("deaths:dashboard_export", args=[hostile.world.trust_a.slug, "xlsx"])
    )
    title = openpyxl.load_workbook(io.BytesIO(deaths.content)).active["A1"]
    assert title.value == f"'{LINK}: learning from deaths dashboard" and title.data_type == "s"


def test_every_pdf_renders_hostile_text(hostile: Hostile, login: Any) -> None:
    for e in hostile.exports():
        if e.kind != "pdf":
            continue
        client = login(e.who)
        # The reports are background jobs now; the certificate stays synchronous.
        resp = client.get(e.url) if e.name in SYNCHRONOUS_PDFS else download_report(client, e.url)
        assert resp.status_code == 200 and resp.content.startswith(b"%PDF"), e.url
    story = download_report(
        login(hostile.world.people["staff_a"]),
        reverse("measures:storyboard_a4", args=[hostile.project.slug]),
    )
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(story.content)).pages)
    # The running footer shows the title as typed: quotes, ampersand and "</style>" intact.
    assert f"{TITLE} · storyboard · qicollab" in text


def test_a_nul_in_a_note_does_not_break_the_excel_export(hostile: Hostile) -> None:
    """The reported 500: a NUL-containing note made the XLSX export fail (in memory here,
    since PostgreSQL cannot store one)."""
    measure = hostile.measure
    points = [DataPoint(measure=measure, period=dt.date(2025, 1, 1), value=1, note="a\x00=b\x0b")]
    for body in (
        exporting.measure_xlsx(measure, points),
        exporting.project_xlsx([(measure, points)]),
    ):
        assert "a=b" in check_xlsx(body)
    assert "a=b" in check_csv(exporting.measure_csv(measure, points))
