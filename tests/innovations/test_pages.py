"""The innovation pages: filters, spread, harvest, steal → adopt, links, showcase, queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import mail

from qicollab.innovations import services
from qicollab.innovations.models import Adoption, Innovation
from qicollab.notifications.models import Notification
from qicollab.projects.models import Project
from tests import factories as f
from tests.innovations import factories as fi


def _url(world: Any, query: str = "") -> str:
    return f"/collaboratives/{world.collab.slug}/innovations/{query}"


def _more_adopters(world: Any, inn: Innovation, n: int) -> None:
    for k in range(n):
        org = f.OrganisationFactory(name=f"Adopter {k} NHS Trust", ods_code=f"RZ{k}")
        f.MembershipFactory(collaborative=world.collab, organisation=org)
        person = f.PersonFactory(email=f"adopter{k}@example.nhs.uk")
        f.AffiliationFactory(person=person, organisation=org, role="staff")
        services.adoption_create(
            actor=person,
            innovation=inn,
            organisation=org,
            data=services.StatusInput(status="adopted", on=dt.date(2026, 2, 1)),
        )


def test_filters_by_evidence_stage_workstream_theme_organisation_spread(
    world: Any, login: Any
) -> None:
    ws = f.WorkstreamFactory(collaborative=world.collab, name="Mental health", slug="mental-health")
    theme = f.ThemeFactory(collaborative=world.collab, name="Co-production", slug="co-production")
    proven = fi.innovation(world, stage="spreading", workstream=ws, themes=[theme])
    other = fi.source_project(world, title="Quiet hours")
    from qicollab.measures.models import DataPoint

    DataPoint.objects.filter(measure__project=other).delete()
    services.innovation_create(
        actor=world.people["staff_a"],
        project=other,
        data=services.InnovationInput(title="Quiet hours"),
    )
    fi.adopt(world, proven)
    c = login(world.people["staff_b"])

    def titles(q: str) -> str:
        return c.get(_url(world, q)).content.decode()

    page = titles("")
    assert "Safety huddles on Willow ward" in page and "Quiet hours" in page
    assert "Outcome improved (special cause)" in page
    assert "Quiet hours" not in titles("?evidence=improvement")
    # (By its full title: "Safety huddles" is also in the header's navigation.)
    assert "Safety huddles on Willow ward" not in titles("?evidence=none")
    assert "Quiet hours" not in titles("?stage=spreading")
    assert "Quiet hours" not in titles("?workstream=mental-health")
    assert "Quiet hours" not in titles("?theme=co-production")
    assert "Quiet hours" not in titles("?spread=1")
    assert "Safety huddles on Willow ward" in titles(f"?organisation={world.trust_a.slug}")
    assert "1 innovation." in titles("?organisation=not-a-member")[
        :100000
    ] or "That organisation is not a member" in titles("?organisation=not-a-member")


def test_innovations_page_queries_do_not_grow_with_adoptions(
    world: Any, login: Any, django_assert_max_num_queries: Any
) -> None:
    inn = fi.innovation(world)
    c = login(world.people["staff_b"])
    c.get(_url(world))
    with django_assert_max_num_queries(22) as few:
        assert c.get(_url(world)).status_code == 200
    _more_adopters(world, inn, 6)
    fi.innovation(world, project=fi.source_project(world, title="Second"), title="Second")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert c.get(_url(world)).status_code == 200


def test_spread_view_queries_do_not_grow_with_adoptions(
    world: Any, login: Any, django_assert_max_num_queries: Any
) -> None:
    inn = fi.innovation(world)
    fi.adopt(world, inn)
    c = login(world.people["collab_lead"])
    url = f"{inn.get_absolute_url()}spread/"
    c.get(url)
    with django_assert_max_num_queries(25) as few:
        assert c.get(url).status_code == 200
    _more_adopters(world, inn, 6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = c.get(url).content.decode()
    assert "Adopter 5 NHS Trust" in page and "7 organisations trying it" in page


def test_spread_shows_timeline_grid_by_region_and_adopter_results(world: Any, login: Any) -> None:
    inn = fi.innovation(world)
    a = fi.adopt(world, inn)
    project = services.adoption_start_project(actor=world.people["staff_b"], adoption=a)
    Project.objects.filter(pk=project.pk).update(sharing="collaborative")
    from qicollab.measures.models import Measure

    fi.add_points(
        Measure.objects.get(project=project, name="Restrictive practice incidents"), fi.SHIFT
    )
    page = login(world.people["staff_a"]).get(f"{inn.get_absolute_url()}spread/").content.decode()
    assert 'id="timeline"' in page and "2 March 2026" in page
    assert "Brook Test Partnership NHS Trust" in page
    assert "Restrictive practice incidents: Special-cause improvement." in page
    assert "Source" in page
    national = login(world.people["national_admin"]).get(
        f"{inn.get_absolute_url()}spread/?view=national"
    )
    assert national.status_code == 200 and "across the programme" in national.content.decode()


def test_adopt_page_records_and_tells_the_team(world: Any, login: Any) -> None:
    inn = fi.innovation(world)
    c = login(world.people["staff_b"])
    mail.outbox.clear()
    r = c.post(
        f"{inn.get_absolute_url()}adopt/",
        {"organisation": world.trust_b.pk, "status": "testing", "on": "2026-03-02"},
    )
    assert r.status_code == 302
    assert Notification.objects.filter(kind="innovations.adopted").count() == 1
    again = c.post(
        f"{inn.get_absolute_url()}adopt/",
        {"organisation": world.trust_b.pk, "status": "testing", "on": "2026-03-02", "note": "kept"},
    )
    body = again.content.decode()
    assert again.status_code == 400 and "already records" in body and "kept" in body
    detail = login(world.people["staff_a"]).get(inn.get_absolute_url()).content.decode()
    assert "Brook Test Partnership NHS Trust" in detail and "1 organisation trying it" in detail


def test_start_project_page(world: Any, login: Any) -> None:
    inn = fi.innovation(world)
    a = fi.adopt(world, inn)
    c = login(world.people["staff_b"])
    r = c.post(
        f"/adoptions/{a.pk}/start-project/", {"title": "", "aim_statement": "Less restraint"}
    )
    assert r.status_code == 302
    a.refresh_from_db()
    assert r["Location"] == a.project.get_absolute_url()
    page = c.get(r["Location"]).content.decode()
    assert "Started from the innovation" in page


def test_project_page_offers_sharing_as_an_innovation(world: Any, login: Any) -> None:
    project = fi.source_project(world)
    c = login(world.people["staff_a"])
    assert (
        "Share this project as an innovation" in c.get(project.get_absolute_url()).content.decode()
    )
    form = c.get(f"/innovations/new/from-project/{project.slug}/")
    assert form.status_code == 200 and "Halve restrictive practice" in form.content.decode()
    r = c.post(
        f"/innovations/new/from-project/{project.slug}/",
        {"title": "Huddles", "stage": "local", "sharing": "collaborative", "problem": "Restraint"},
    )
    assert r.status_code == 302
    bad = c.post(
        f"/innovations/new/from-project/{project.slug}/",
        {"title": "", "stage": "local", "sharing": "public", "problem": "typed"},
    )
    assert bad.status_code == 400 and "typed" in bad.content.decode()
    assert (
        login(world.people["staff_b"])
        .get(f"/innovations/new/from-project/{project.slug}/")
        .status_code
        == 403
    )


def test_harvest_from_the_gallery_and_listed_on_the_session_page(world: Any, login: Any) -> None:
    from qicollab.events import storyboards as sb
    from tests.events.conftest import make_session

    s = make_session(world.collab, days_ahead=-2)
    project = fi.source_project(world)
    board = sb.storyboard_submit_project(actor=world.people["staff_a"], session=s, project=project)
    c = login(world.people["staff_a"])
    gallery = c.get(f"/learning/sessions/{s.pk}/storyboards/").content.decode()
    assert f"/innovations/harvest/{board.pk}/" in gallery
    r = c.post(
        f"/innovations/harvest/{board.pk}/",
        {"title": "Safety huddles", "stage": "spreading", "sharing": "collaborative"},
    )
    assert r.status_code == 302
    inn = Innovation.objects.get()
    assert inn.harvested_at == s and inn.storyboard == board
    session_page = login(world.people["staff_b"]).get(s.get_absolute_url()).content.decode()
    assert "Innovations harvested here" in session_page and "Safety huddles" in session_page
    # "Steal" on the storyboard now leads to adopting the innovation.
    b = login(world.people["staff_b"])
    gallery_b = b.get(f"/learning/sessions/{s.pk}/storyboards/").content.decode()
    adopt_url = f"/innovations/{inn.slug}/adopt/"
    assert f'name="next" value="{adopt_url}"' in gallery_b
    stolen = b.post(
        f"/learning/sessions/storyboards/{board.pk}/steal/", {"note": "", "next": adopt_url}
    )
    assert stolen["Location"] == adopt_url


def test_workstream_and_theme_pages_link_to_innovations(world: Any, login: Any) -> None:
    ws = f.WorkstreamFactory(collaborative=world.collab, name="Mental health", slug="mental-health")
    theme = f.ThemeFactory(collaborative=world.collab, name="Co-production", slug="co-production")
    c = login(world.people["staff_b"])
    w = c.get(f"/collaboratives/{world.collab.slug}/workstreams/{ws.slug}/").content.decode()
    t = c.get(f"/collaboratives/{world.collab.slug}/themes/{theme.slug}/").content.decode()
    assert f"{_url(world)}?workstream=mental-health" in w and "Go to innovations" in w
    assert f"{_url(world)}?theme=co-production" in t and "Go to innovations" in t


def test_showcase_and_feed_without_login(world: Any, login: Any) -> None:
    inn = fi.innovation(world, sharing="public")
    hidden = fi.innovation(
        world, project=fi.source_project(world, title="Private one"), title="Private one"
    )
    c = login(None)
    page = c.get("/showcase/").content.decode()
    assert inn.title in page and hidden.title not in page
    detail = c.get(f"/showcase/{inn.slug}/")
    body = detail.content.decode()
    assert detail.status_code == 200 and "app-chart__image" in body and 'rel="canonical"' in body
    assert "noindex" not in body
    assert c.get(f"/showcase/{hidden.slug}/").status_code == 404
    feed = c.get("/showcase/feed.atom")
    assert feed.status_code == 200 and feed["Content-Type"].startswith("application/atom+xml")
    assert inn.title in feed.content.decode() and hidden.title not in feed.content.decode()


def test_resource_upload_is_checked_by_content(
    world: Any, login: Any, settings: Any, tmp_path: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.events.test_storyboards import pdf_bytes

    settings.MEDIA_ROOT = tmp_path
    inn = fi.innovation(world)
    c = login(world.people["staff_a"])
    fake = SimpleUploadedFile("checklist.pdf", b"MZ not a pdf", content_type="application/pdf")
    r = c.post(f"{inn.get_absolute_url()}resources/", {"title": "Checklist", "file": fake})
    assert r.status_code == 400 and "Upload a PDF, PNG or JPEG" in r.content.decode()
    good = SimpleUploadedFile("checklist.pdf", pdf_bytes(), content_type="application/pdf")
    assert (
        c.post(
            f"{inn.get_absolute_url()}resources/", {"title": "Checklist", "file": good}
        ).status_code
        == 302
    )
    res = inn.resources.get()
    download = login(world.people["staff_b"]).get(f"{inn.get_absolute_url()}resources/{res.pk}/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert (
        login(world.people["outsider"])
        .get(f"{inn.get_absolute_url()}resources/{res.pk}/")
        .status_code
        == 404
    )
    assert (
        login(world.people["staff_b"])
        .post(f"{inn.get_absolute_url()}resources/", {"title": "x"})
        .status_code
        == 403
    )
    assert Adoption.objects.count() == 0
