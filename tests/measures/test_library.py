"""The measure library: versioned definitions, one-click use, permissions, the cross-site view."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qicollab.measures.library import presenters, selectors
from qicollab.measures.library import services as ls
from qicollab.measures.models import LibraryMeasure, LibraryMeasureVersion, Measure
from qicollab.projects import services as ps
from qicollab.projects.models import Project
from tests.conftest import PERSONAS
from tests.measures.conftest import fill

DEFINITION: dict[str, Any] = {
    "name": "Percentage of patients with a physical-health check",
    "measure_type": "process",
    "value_type": "percentage",
    "numerator_definition": "Patients with a completed check",
    "denominator_definition": "Patients on the ward on the audit day",
    "frequency": "monthly",
    "direction": "increase",
    "target": 90.0,
}

VIEWERS = {"national_admin", "collab_lead", "faculty", "pm_a", "staff_a", "partner_a"}
VIEWERS |= {"viewer_a", "staff_b"}
CURATORS = {"national_admin", "collab_lead", "faculty"}


@pytest.fixture
def lib(world: Any) -> LibraryMeasure:
    return ls.library_measure_create(
        actor=world.people["collab_lead"], collaborative=world.collab, data=dict(DEFINITION)
    )


def b_project(world: Any, title: str = "Trust B checks", sharing: str = "private") -> Project:
    return ps.project_create(
        actor=world.people["staff_b"],
        collaborative=world.collab,
        lead_organisation=world.trust_b,
        title=title,
        sharing=sharing,
    )


# --- services ----------------------------------------------------------------------------


def test_create_records_version_one(lib: LibraryMeasure) -> None:
    assert lib.version == 1 and lib.chart_type == "p"  # chosen from the value type
    v = lib.versions.get()
    assert v.number == 1 and v.definition["name"] == DEFINITION["name"]


def test_editing_the_definition_makes_a_new_version(world: Any, lib: LibraryMeasure) -> None:
    lead = world.people["collab_lead"]
    ls.library_measure_update(
        actor=lead,
        library_measure=lib,
        data={"exclusions": "Patients admitted in the last 24 hours"},
        change_note="Exclude new admissions",
    )
    lib.refresh_from_db()
    assert lib.version == 2
    numbers = list(lib.versions.order_by("number").values_list("number", flat=True))
    assert numbers == [1, 2]
    assert lib.versions.get(number=1).definition["exclusions"] == ""  # history kept
    # The description is not the definition: no new version.
    ls.library_measure_update(actor=lead, library_measure=lib, data={"description": "Why"})
    lib.refresh_from_db()
    assert lib.version == 2 and lib.description == "Why"


def test_a_new_version_needs_a_note(world: Any, lib: LibraryMeasure) -> None:
    with pytest.raises(ls.LibraryError) as exc:
        ls.library_measure_update(
            actor=world.people["faculty"], library_measure=lib, data={"unit": "%"}
        )
    assert exc.value.field == "change_note"
    assert LibraryMeasureVersion.objects.filter(library_measure=lib).count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"chart_type": "c"}, "chart_type"),  # a C chart does not suit percentages
        ({"value_type": "measurement"}, "chart_type"),  # P chart no longer suits
        ({"denominator_definition": ""}, "denominator_definition"),
        ({"target": 140.0}, "target"),
        ({"direction": "neutral"}, "target"),  # a target needs a direction
        ({"rate_multiplier": 1000}, "rate_multiplier"),
    ],
)
def test_editing_into_an_invalid_combination_is_refused(
    world: Any, lib: LibraryMeasure, data: dict[str, Any], field: str
) -> None:
    with pytest.raises(ls.LibraryError) as exc:
        ls.library_measure_update(
            actor=world.people["collab_lead"], library_measure=lib, data=data, change_note="x"
        )
    assert field in exc.value.errors
    lib.refresh_from_db()
    assert lib.version == 1 and lib.versions.count() == 1


def test_only_curators_write(world: Any, lib: LibraryMeasure) -> None:
    for name in ("staff_a", "pm_a", "outsider"):
        with pytest.raises(PermissionDenied):
            ls.library_measure_update(
                actor=world.people[name], library_measure=lib, data={"unit": "x"}, change_note="x"
            )
    with pytest.raises(PermissionDenied):
        ls.library_measure_create(
            actor=world.people["staff_a"], collaborative=world.collab, data=dict(DEFINITION)
        )


def test_duplicate_name_in_a_library_is_refused(world: Any, lib: LibraryMeasure) -> None:
    with pytest.raises((ls.LibraryError, ValidationError)):
        ls.library_measure_create(
            actor=world.people["collab_lead"],
            collaborative=world.collab,
            data={**DEFINITION, "name": DEFINITION["name"].upper()},
        )


def test_use_follow_and_newer_version(world: Any, lib: LibraryMeasure, project: Project) -> None:
    staff = world.people["staff_a"]
    m = ls.measure_from_library(actor=staff, project=project, library_measure=lib)
    assert (m.library_measure_id, m.library_version) == (lib.pk, 1)
    assert m.denominator_definition == DEFINITION["denominator_definition"]
    assert presenters.follows_text(m) == (
        f"Follows library definition '{lib.name}', version 1.",
        False,
    )
    with pytest.raises(ls.LibraryError, match="already has a measure"):
        ls.measure_from_library(actor=staff, project=project, library_measure=lib)
    ls.library_measure_update(
        actor=world.people["collab_lead"],
        library_measure=lib,
        data={"target": 95.0},
        change_note="Raised target",
    )
    m = Measure.objects.select_related("library_measure").get(pk=m.pk)
    text, newer = presenters.follows_text(m)
    assert newer and "A newer version (2) exists" in text
    ls.measure_follow_library(actor=staff, measure=m)
    m.refresh_from_db()
    assert m.library_version == 2 and m.target == 95.0


def test_use_refused_across_collaboratives_and_without_edit(
    world: Any, lib: LibraryMeasure
) -> None:
    other = ps.project_create(
        actor=world.people["pm_o"],
        collaborative=world.other_collab,
        lead_organisation=world.trust_o,
        title="Other project",
    )
    with pytest.raises(ls.LibraryError, match="another collaborative"):
        ls.measure_from_library(actor=world.people["pm_o"], project=other, library_measure=lib)
    proj = b_project(world)
    with pytest.raises(PermissionDenied):
        ls.measure_from_library(actor=world.people["staff_a"], project=proj, library_measure=lib)


def test_follow_refused_when_frequency_changes_with_data(
    world: Any, lib: LibraryMeasure, project: Project
) -> None:
    staff = world.people["staff_a"]
    m = ls.measure_from_library(actor=staff, project=project, library_measure=lib)
    fill(m, staff, [(5, 10), (6, 10)])
    ls.library_measure_update(
        actor=world.people["collab_lead"],
        library_measure=lib,
        data={"frequency": "weekly"},
        change_note="Weekly now",
    )
    m = Measure.objects.select_related("library_measure").get(pk=m.pk)
    with pytest.raises(ls.LibraryError, match="already has data"):
        ls.measure_follow_library(actor=staff, measure=m)
    m.refresh_from_db()
    assert m.library_version == 1 and m.frequency == "monthly"


# --- permissions: every persona and an outsider -------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_pages_by_persona(world: Any, lib: LibraryMeasure, login: Any, persona: str) -> None:
    c = login(world.people[persona])
    slug = world.collab.slug
    base = f"/collaboratives/{slug}/measure-library/"
    expected_view = 200 if persona in VIEWERS else 404
    assert c.get(base).status_code == expected_view
    assert c.get(f"{base}{lib.pk}/").status_code == expected_view
    assert c.get(f"{base}{lib.pk}/sites/").status_code == expected_view
    edit = c.get(f"{base}{lib.pk}/edit/").status_code
    new = c.get(f"{base}new/").status_code
    if persona in CURATORS:
        assert (edit, new) == (200, 200)
    else:
        assert (edit, new) == ((403, 403) if persona in VIEWERS else (404, 404))


def test_anonymous_is_sent_to_log_in(world: Any, lib: LibraryMeasure, client: Any) -> None:
    r = client.get(f"/collaboratives/{world.collab.slug}/measure-library/{lib.pk}/sites/")
    assert r.status_code == 302 and "login" in r["Location"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_by_persona(world: Any, lib: LibraryMeasure, login: Any, persona: str) -> None:
    c = login(world.people[persona])
    expected = 200 if persona in VIEWERS else 404
    assert c.get(f"/api/measure-library/{lib.pk}").status_code == expected
    assert c.get(f"/api/measure-library/{lib.pk}/cross-site").status_code == expected
    listed = {d["id"] for d in c.get("/api/measure-library").json()}
    assert (lib.pk in listed) == (persona in VIEWERS)
    r = c.patch(
        f"/api/measure-library/{lib.pk}",
        {
            "unit": "%",
            "change_note": "Unit",
            "version": c.get(f"/api/measure-library/{lib.pk}").json().get("version", "x"),
        },
        content_type="application/json",
    )
    if persona in CURATORS:
        assert r.status_code == 200 and r.json()["definition_version"] == 2
        lib.refresh_from_db()
        ls.library_measure_update(
            actor=world.people["collab_lead"],
            library_measure=lib,
            data={"unit": ""},
            change_note="Back",
        )
    else:
        assert r.status_code == (403 if persona in VIEWERS else 404)


def test_page_create_keeps_what_was_typed_on_bad_input(world: Any, login: Any) -> None:
    c = login(world.people["faculty"])
    r = c.post(
        f"/collaboratives/{world.collab.slug}/measure-library/new/",
        {
            **DEFINITION,
            "chart_type": "c",
            "rate_multiplier": "1",
            "name": "Typed name kept",
        },
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert "does not suit" in html and "Typed name kept" in html
    assert not LibraryMeasure.objects.exists()


def test_page_edit_makes_version_and_use_is_one_click(
    world: Any, lib: LibraryMeasure, project: Project, login: Any
) -> None:
    c = login(world.people["collab_lead"])
    url = f"/collaboratives/{world.collab.slug}/measure-library/{lib.pk}/edit/"
    assert c.get(url).status_code == 200
    data = {k: ("" if v is None else v) for k, v in lib.definition().items()}
    data.update({"exclusions": "New admissions", "change_note": "Exclude new admissions"})
    r = c.post(url, data)
    assert r.status_code == 302, r.content.decode()[:2000]
    lib.refresh_from_db()
    assert lib.version == 2
    staff = login(world.people["staff_a"])
    r = staff.post(
        f"/collaboratives/{world.collab.slug}/measure-library/{lib.pk}/use/",
        {"project": project.slug},
    )
    assert r.status_code == 302
    m = Measure.objects.get(project=project)
    assert m.library_version == 2
    page = staff.get(m.get_absolute_url()).content.decode()
    assert "Follows library definition" in page and "version 2" in page
    # The project's "Add a measure" page offers the library with one button each.
    add = staff.get(f"/projects/{project.slug}/measures/new/").content.decode()
    assert f"Use &#39;{lib.name}&#39;" in add or f"Use '{lib.name}'" in add


def test_viewer_cannot_use(world: Any, lib: LibraryMeasure, project: Project, login: Any) -> None:
    r = login(world.people["viewer_a"]).post(
        f"/collaboratives/{world.collab.slug}/measure-library/{lib.pk}/use/",
        {"project": project.slug},
    )
    assert r.status_code in (403, 404)
    assert not Measure.objects.filter(project=project).exists()


def test_api_use_and_bad_input(
    world: Any, lib: LibraryMeasure, project: Project, login: Any
) -> None:
    staff = login(world.people["staff_a"])
    r = staff.post(
        f"/api/measure-library/{lib.pk}/use",
        {"project": project.slug},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["project"] == project.slug
    again = staff.post(
        f"/api/measure-library/{lib.pk}/use",
        {"project": project.slug},
        content_type="application/json",
    )
    assert again.status_code == 422
    lead = login(world.people["collab_lead"])
    version = lead.get(f"/api/measure-library/{lib.pk}").json()["version"]
    bad = lead.patch(
        f"/api/measure-library/{lib.pk}",
        {"chart_type": "g", "change_note": "x", "version": version},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "chart_type" in str(bad.json())
    missing = lead.patch(
        f"/api/measure-library/{lib.pk}", {"unit": "x"}, content_type="application/json"
    )
    assert missing.status_code == 428
    created = lead.post(
        f"/api/measure-library?collaborative={world.collab.slug}",
        {**DEFINITION, "name": "Rate of falls", "value_type": "rate", "chart_type": "p"},
        content_type="application/json",
    )
    assert created.status_code == 422
    versions = lead.get(f"/api/measure-library/{lib.pk}/versions").json()
    assert [v["number"] for v in versions] == [1]


# --- the cross-site view -------------------------------------------------------------------


def _sites(world: Any, lib: LibraryMeasure, count: int) -> list[Measure]:
    """``count`` trust B projects (private: staff_a cannot see them) and one trust A one."""
    out = []
    for i in range(count):
        proj = b_project(world, title=f"Trust B ward {i}")
        m = ls.measure_from_library(
            actor=world.people["staff_b"], project=proj, library_measure=lib
        )
        fill(m, world.people["staff_b"], [(50, 100), (52, 100), (48 + i, 100)])
        out.append(m)
    return out


def test_cross_site_names_only_visible_sites(
    world: Any, lib: LibraryMeasure, project: Project
) -> None:
    staff = world.people["staff_a"]
    mine = ls.measure_from_library(actor=staff, project=project, library_measure=lib)
    fill(mine, staff, [(50, 100), (51, 100), (95, 100)])
    _sites(world, lib, 3)
    view = presenters.cross_site(viewer=staff, library_measure=lib)
    labels = [s.label for s in view.sites]
    assert labels[0].startswith(world.trust_a.name)
    assert labels[1:] == ["Unnamed site 1", "Unnamed site 2", "Unnamed site 3"]
    assert all(not s.url for s in view.sites[1:])
    assert view.funnel is not None and len(view.funnel_sites) == 4
    assert view.sites[0].position == "above_998"  # 95% against a pooled 59%
    assert view.summary.startswith("1 of 4 sites is above the upper 99.8% limit")
    # The lead sees every site by name (coordinators see the collaborative's projects).
    lead_view = presenters.cross_site(viewer=world.people["collab_lead"], library_measure=lib)
    assert all(s.named for s in lead_view.sites)
    # One shared y scale for the small multiples.
    assert view.y_domain is not None
    assert view.small_multiple_spec(view.sites[0])["layer"][0]["encoding"]["y"]["scale"][
        "domain"
    ] == list(view.y_domain)
    spec = view.funnel_spec()
    assert spec["description"] == view.summary


def test_cross_site_page_and_api_hide_names(
    world: Any, lib: LibraryMeasure, project: Project, login: Any
) -> None:
    _sites(world, lib, 2)
    c = login(world.people["staff_a"])
    html = c.get(f"/collaboratives/{world.collab.slug}/measure-library/{lib.pk}/sites/").content
    text = html.decode()
    assert "Unnamed site 1" in text and "Trust B ward" not in text
    assert "of 2 sites are above the upper 99.8% limit" in text
    data = c.get(f"/api/measure-library/{lib.pk}/cross-site?overdispersion=true").json()
    assert {s["site"] for s in data["sites"]} == {"Unnamed site 1", "Unnamed site 2"}
    assert all(s["measure"] is None for s in data["funnel"])
    assert "Trust B" not in str(data)


def test_cross_site_without_denominator_has_no_funnel(world: Any, login: Any) -> None:
    lib = ls.library_measure_create(
        actor=world.people["collab_lead"],
        collaborative=world.collab,
        data={"name": "Incidents", "value_type": "count", "direction": "decrease"},
    )
    view = presenters.cross_site(viewer=world.people["collab_lead"], library_measure=lib)
    assert view.funnel is None and "No project uses" in view.summary


@pytest.mark.parametrize("count", [2, 9])
def test_cross_site_query_count_does_not_grow_with_sites(
    world: Any,
    lib: LibraryMeasure,
    login: Any,
    django_assert_max_num_queries: Any,
    count: int,
) -> None:
    _sites(world, lib, count)
    c = login(world.people["staff_a"])
    url = f"/collaboratives/{world.collab.slug}/measure-library/{lib.pk}/sites/"
    with django_assert_max_num_queries(12):
        assert c.get(url).status_code == 200
    with django_assert_max_num_queries(12):
        assert c.get(f"/api/measure-library/{lib.pk}/cross-site").status_code == 200


def test_library_list_selector_counts_uses(
    world: Any, lib: LibraryMeasure, project: Project
) -> None:
    ls.measure_from_library(actor=world.people["staff_a"], project=project, library_measure=lib)
    row = selectors.library_list(viewer=world.people["staff_a"]).get()
    assert row.use_count == 1
    assert not selectors.library_list(viewer=world.people["outsider"]).exists()


def test_local_edit_is_told_apart(world: Any, lib: LibraryMeasure, project: Project) -> None:
    from qicollab.measures import services as ms

    staff = world.people["staff_a"]
    m = ls.measure_from_library(actor=staff, project=project, library_measure=lib)
    ms.measure_update(actor=staff, measure=m, data={"data_source": "Our own audit"})
    m = Measure.objects.select_related("library_measure").get(pk=m.pk)
    text, newer = presenters.follows_text(m)
    assert not newer and "changed its copy" in text
    # The library link cannot be set through the ordinary measure service.
    ms.measure_update(actor=staff, measure=m, data={"library_version": 7})
    m.refresh_from_db()
    assert m.library_version == 1


def test_admin_is_scoped(world: Any, lib: LibraryMeasure, login: Any) -> None:
    for name in ("collab_lead", "staff_a"):
        person = world.people[name]
        person.is_staff = True
        person.save()
    lead = login(world.people["collab_lead"])
    assert lead.get(f"/admin/measures/librarymeasure/{lib.pk}/change/").status_code == 200
    staff = login(world.people["staff_a"])
    # A member may look at the library in the admin but not change it.
    r = staff.post(f"/admin/measures/librarymeasure/{lib.pk}/change/", {"name": "Renamed"})
    assert r.status_code in (302, 403)
    lib.refresh_from_db()
    assert lib.name == DEFINITION["name"]


def test_usable_projects_leave_out_those_already_using_it(
    world: Any, lib: LibraryMeasure, project: Project
) -> None:
    staff = world.people["staff_a"]
    assert project in selectors.usable_projects(viewer=staff, library_measure=lib)
    ls.measure_from_library(actor=staff, project=project, library_measure=lib)
    assert project not in selectors.usable_projects(viewer=staff, library_measure=lib)
    assert selectors.usable_projects(viewer=world.people["viewer_a"], library_measure=lib) == []
