"""Storyboards: the gallery, uploads checked by content, files behind permissions, steals,
and which member organisations presented."""

from __future__ import annotations

import datetime as dt
import io
import os
from typing import Any

import pydyf
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from qicollab.events import storyboard_files as files
from qicollab.events import storyboards as sb
from qicollab.events.models import LearningSession, Storyboard, StoryboardSteal
from qicollab.projects import services as project_services
from qicollab.projects.models import Project, TeamRole
from tests import factories as f
from tests.events.conftest import make_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def png_bytes(size: tuple[int, int] = (60, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (0, 94, 184)).save(out, format="PNG")
    return out.getvalue()


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (50, 50), (0, 150, 0)).save(out, format="JPEG")
    return out.getvalue()


def pdf_bytes(extra: bytes = b"") -> bytes:
    """A real one-page PDF written by pydyf (WeasyPrint's PDF writer)."""
    pdf = pydyf.PDF()
    stream = pydyf.Stream()
    stream.push_state()
    stream.pop_state()
    pdf.add_object(stream)
    page = pydyf.Dictionary(
        {
            "Type": "/Page",
            "Parent": pdf.pages.reference,
            "MediaBox": pydyf.Array([0, 0, 595, 842]),
            "Contents": stream.reference,
        }
    )
    if extra:
        page["AA"] = pydyf.Dictionary({"O": pydyf.Dictionary({"S": extra.decode()})})
    pdf.add_object(page)
    pdf.pages["Kids"].extend([page.number, 0, "R"])
    pdf.pages["Count"] += 1
    out = io.BytesIO()
    pdf.write(out)
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, data, content_type=content_type)


def past_session(world: Any, **kw: Any) -> LearningSession:
    return make_session(world.collab, days_ahead=-10, **kw)


def make_project(world: Any, sharing: str = "collaborative", **kw: Any) -> Project:
    p = world.people
    project = project_services.project_create(
        actor=p["staff_a"],
        collaborative=world.collab,
        lead_organisation=world.trust_a,
        title=kw.pop("title", "Safer observations on Willow ward"),
        sharing=sharing,
        **kw,
    )
    project_services.member_add(
        actor=p["staff_a"], project=project, person=p["partner_a"], role=TeamRole.PARTNER
    )
    return project


def upload_board(world: Any, s: LearningSession, who: str = "staff_a", **kw: Any) -> Storyboard:
    org = kw.pop("organisation", world.trust_a if who != "staff_b" else world.trust_b)
    return sb.storyboard_upload(
        actor=world.people[who],
        session=s,
        organisation=org,
        title=kw.pop("title", "Fewer falls on Oak ward"),
        upload=upload("poster.png", png_bytes()),
        **kw,
    )


# --- the gallery ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("national_admin", 200),
        ("collab_lead", 200),
        ("faculty", 200),
        ("staff_a", 200),
        ("viewer_a", 200),
        ("staff_b", 200),
        ("pm_o", 404),
        ("outsider", 404),
    ],
)
def test_gallery_visibility(world: Any, login: Any, who: str, status: int) -> None:
    s = past_session(world)
    board = upload_board(world, s)
    c = login(world.people[who])
    assert c.get(f"/learning/sessions/{s.pk}/storyboards/").status_code == status
    assert c.get(f"/learning/sessions/storyboards/{board.pk}/file/").status_code == status
    assert c.get(f"/learning/sessions/storyboards/{board.pk}/thumbnail/").status_code == status
    api = c.get(f"/api/learning-sessions/sessions/{s.pk}/storyboards")
    assert api.status_code == status
    assert login(None).get(f"/learning/sessions/storyboards/{board.pk}/file/").status_code == 302


def test_organiser_may_both_withdraw_and_steal_but_a_team_only_withdraws(
    world: Any, login: Any
) -> None:
    s = past_session(world)
    upload_board(world, s, title="Fewer falls on Oak ward")
    url = f"/learning/sessions/{s.pk}/storyboards/"
    organiser = login(world.people["faculty"]).get(url).content.decode()
    assert "Withdraw<span" in organiser  # organisers may take any storyboard down
    assert "Steal this idea<span" in organiser  # ...and still adopt others' ideas
    presenter = login(world.people["staff_a"]).get(url).content.decode()
    assert "Withdraw<span" in presenter
    assert "Steal this idea<span" not in presenter  # nothing to steal from your own team
    member = login(world.people["staff_b"]).get(url).content.decode()
    assert "Steal this idea<span" in member and "Withdraw<span" not in member


def test_gallery_filters_by_workstream_in_constant_queries(
    world: Any, login: Any, django_assert_max_num_queries: Any
) -> None:
    s = past_session(world)
    falls = f.WorkstreamFactory(collaborative=world.collab, name="Falls", slug="falls")
    deaths = f.WorkstreamFactory(collaborative=world.collab, name="Deaths", slug="deaths")
    for i in range(3):
        upload_board(world, s, title=f"Falls idea {i}", workstream=falls)
    upload_board(world, s, "staff_b", title="Mortality review idea", workstream=deaths)
    make_project_board = sb.storyboard_submit_project(
        actor=world.people["staff_a"], session=s, project=make_project(world, workstream=falls)
    )
    c = login(world.people["staff_b"])
    with django_assert_max_num_queries(25):
        body = c.get(f"/learning/sessions/{s.pk}/storyboards/?workstream=falls").content.decode()
    assert "Falls idea 2" in body and make_project_board.title in body
    assert "Mortality review idea" not in body and "4 storyboards in Falls" in body
    body = c.get(f"/learning/sessions/{s.pk}/storyboards/?workstream=nope").content.decode()
    assert "Mortality review idea" in body and "There is no workstream with that name" in body
    api = c.get(f"/api/learning-sessions/sessions/{s.pk}/storyboards?workstream=deaths").json()
    assert [row["title"] for row in api] == ["Mortality review idea"]
    assert (
        c.get(f"/api/learning-sessions/sessions/{s.pk}/storyboards?workstream=x").status_code == 422
    )


# --- uploads ----------------------------------------------------------------------------


def test_real_png_is_stored_under_a_random_name_and_served_safely(
    world: Any, login: Any, media: Any
) -> None:
    s = past_session(world)
    c = login(world.people["staff_a"])
    r = c.post(
        f"/learning/sessions/{s.pk}/storyboards/new/upload/",
        {
            "upload-organisation": world.trust_a.pk,
            "upload-title": "Safety huddles",
            "upload-file": upload("my poster.png", png_bytes(), "text/plain"),
        },
    )
    assert r.status_code == 302
    board = Storyboard.objects.get()
    assert (board.content_type, board.kind, board.organisation) == (
        "image/png",
        "upload",
        world.trust_a,
    )
    stored = os.listdir(media / "storyboards")
    assert len(stored) == 2  # the file and its thumbnail
    assert all("poster" not in n and "." not in n and len(n) >= 40 for n in stored)
    resp = login(world.people["staff_b"]).get(f"/learning/sessions/storyboards/{board.pk}/file/")
    assert resp["Content-Type"] == "image/png"
    assert resp["X-Content-Type-Options"] == "nosniff"
    assert resp["Content-Disposition"] == 'inline; filename="my-poster.png"'
    assert "sandbox" in resp["Content-Security-Policy"]
    served = Image.open(io.BytesIO(b"".join(resp)))
    assert served.format == "PNG" and served.size == (60, 40)
    assert served.convert("RGB").getpixel((5, 5)) == (0, 94, 184)
    thumb = login(world.people["staff_b"]).get(
        f"/learning/sessions/storyboards/{board.pk}/thumbnail/"
    )
    assert thumb["Content-Type"] == "image/png" and b"".join(thumb).startswith(b"\x89PNG")


def test_photo_metadata_is_removed_and_orientation_kept(world: Any, login: Any, media: Any) -> None:
    """A phone photo's EXIF (camera owner, GPS) never reaches the gallery; the picture is
    stored upright, re-encoded from its pixels."""
    exif = Image.Exif()
    exif[0x010F] = "Ward Manager's Phone"  # Make
    exif[0x013B] = "Jo Bloggs"  # Artist
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    photo = io.BytesIO()
    Image.new("RGB", (80, 40), (200, 30, 30)).save(photo, format="JPEG", exif=exif.tobytes())
    assert b"Jo Bloggs" in photo.getvalue()
    s = past_session(world)
    c = login(world.people["staff_a"])
    r = c.post(
        f"/learning/sessions/{s.pk}/storyboards/new/upload/",
        {
            "upload-organisation": world.trust_a.pk,
            "upload-title": "Huddle board photo",
            "upload-file": upload("IMG_0001.jpg", photo.getvalue(), "image/jpeg"),
        },
    )
    assert r.status_code == 302
    board = Storyboard.objects.get()
    data = b"".join(
        login(world.people["staff_b"]).get(f"/learning/sessions/storyboards/{board.pk}/file/")
    )
    assert b"Jo Bloggs" not in data and b"Phone" not in data
    stored = Image.open(io.BytesIO(data))
    assert stored.format == "JPEG"
    assert dict(stored.getexif()) == {}
    assert stored.size == (40, 80)  # turned upright as the orientation said


def test_real_pdf_and_jpeg_accepted_pdf_downloads(world: Any, login: Any) -> None:
    s = past_session(world)
    pdf = upload_board(world, s, title="PDF")
    pdf = sb.storyboard_upload(
        actor=world.people["staff_a"],
        session=s,
        organisation=world.trust_a,
        title="As a PDF",
        upload=upload("board.PDF.exe", pdf_bytes()),
    )
    jpg = sb.storyboard_upload(
        actor=world.people["staff_a"],
        session=s,
        organisation=world.trust_a,
        title="As a JPEG",
        upload=upload("photo", jpeg_bytes()),
    )
    assert (pdf.content_type, jpg.content_type) == ("application/pdf", "image/jpeg")
    assert pdf.thumb_name == "" and jpg.thumb_name
    resp = login(world.people["faculty"]).get(f"/learning/sessions/storyboards/{pdf.pk}/file/")
    assert resp["Content-Type"] == "application/pdf"
    assert resp["Content-Disposition"] == 'attachment; filename="board.PDF.pdf"'
    assert resp["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("poster.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "not one of those"),  # an .exe
        ("poster.png", b"<!doctype html><script>alert(1)</script>", "not one of those"),
        ("poster.jpg", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "could not be opened"),
        ("poster.pdf", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "incomplete or damaged"),
        ("poster.pdf", b"", "empty"),
    ],
)
def test_files_are_judged_by_content_not_name(
    world: Any, login: Any, name: str, data: bytes, message: str
) -> None:
    s = past_session(world)
    r = login(world.people["staff_a"]).post(
        f"/learning/sessions/{s.pk}/storyboards/new/upload/",
        {
            "upload-organisation": world.trust_a.pk,
            "upload-title": "Kept title",
            "upload-file": upload(name, data, "application/pdf"),
        },
    )
    body = r.content.decode()
    assert r.status_code == 200 and "There is a problem" in body and message in body
    assert "Kept title" in body
    assert not Storyboard.objects.exists()


def test_pdf_with_javascript_is_refused() -> None:
    with pytest.raises(ValidationError, match="scripts"):
        files.check_upload(upload("board.pdf", pdf_bytes(extra=b"/JavaScript")))
    assert files.check_upload(upload("board.pdf", pdf_bytes())).content_type == "application/pdf"


def test_oversize_upload_refused(world: Any, login: Any, settings: Any) -> None:
    settings.STORYBOARD_MAX_UPLOAD_BYTES = 1024 * 1024
    s = past_session(world)
    big = png_bytes((2000, 2000)) + b"\x00" * (1024 * 1024)
    r = login(world.people["staff_a"]).post(
        f"/learning/sessions/{s.pk}/storyboards/new/upload/",
        {
            "upload-organisation": world.trust_a.pk,
            "upload-title": "Too big",
            "upload-file": upload("big.png", big, "image/png"),
        },
    )
    assert r.status_code == 200 and "a storyboard can be up to 1 MB" in r.content.decode()
    assert not Storyboard.objects.exists()


def test_upload_only_for_your_own_member_organisation(world: Any, login: Any) -> None:
    s = past_session(world)
    r = login(world.people["staff_a"]).post(
        f"/learning/sessions/{s.pk}/storyboards/new/upload/",
        {
            "upload-organisation": world.trust_b.pk,
            "upload-title": "Not ours",
            "upload-file": upload("p.png", png_bytes()),
        },
    )
    assert (
        r.status_code == 200 and "Choose a member organisation you work for" in r.content.decode()
    )
    with pytest.raises(ValidationError, match="cannot present for"):
        upload_board(world, s, "viewer_a", organisation=world.trust_a)
    # Organisers may upload for any member (posters collected on the day).
    assert (
        upload_board(world, s, "faculty", organisation=world.trust_b).organisation == world.trust_b
    )
    assert (
        login(world.people["outsider"])
        .get(f"/learning/sessions/{s.pk}/storyboards/new/")
        .status_code
        == 404
    )


# --- project storyboards ------------------------------------------------------------------


def test_project_storyboard_links_to_the_project(world: Any, login: Any) -> None:
    s = past_session(world)
    project = make_project(world)
    c = login(world.people["staff_a"])
    page = c.get(f"/learning/sessions/{s.pk}/storyboards/new/").content.decode()
    assert project.title in page
    r = c.post(
        f"/learning/sessions/{s.pk}/storyboards/new/project/", {"project-project": project.pk}
    )
    assert r.status_code == 302
    board = Storyboard.objects.get()
    assert (board.kind, board.project, board.organisation) == ("project", project, world.trust_a)
    gallery = login(world.people["staff_b"]).get(f"/learning/sessions/{s.pk}/storyboards/")
    assert f"/projects/{project.slug}/storyboard/" in gallery.content.decode()
    with pytest.raises(ValidationError, match="already in this session's gallery"):
        sb.storyboard_submit_project(actor=world.people["staff_a"], session=s, project=project)


def test_private_project_and_other_teams_project_refused(world: Any) -> None:
    s = past_session(world)
    private = make_project(world, sharing="private", title="Private work")
    with pytest.raises(ValidationError, match="shared only with its team"):
        sb.storyboard_submit_project(actor=world.people["staff_a"], session=s, project=private)
    shared = make_project(world, title="Shared work")
    with pytest.raises(PermissionDenied):
        sb.storyboard_submit_project(actor=world.people["staff_b"], session=s, project=shared)


# --- steals ---------------------------------------------------------------------------


def test_steal_notifies_the_team_once_and_can_be_undone(
    world: Any, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    s = past_session(world)
    board = sb.storyboard_submit_project(
        actor=world.people["staff_a"], session=s, project=make_project(world)
    )
    c = login(world.people["staff_b"])
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(
            f"/learning/sessions/storyboards/{board.pk}/steal/", {"note": "Trying it on Elm ward"}
        )
    assert r.status_code == 302
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["partner_a@example.nhs.uk", "staff_a@example.nhs.uk"]
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert "Trying it on Elm ward" in mail.outbox[0].body and "Staff B" in mail.outbox[0].body
    gallery = c.get(f"/learning/sessions/{s.pk}/storyboards/").content.decode()
    assert "You intend to steal this" in gallery
    assert "<strong>1</strong> person intends to steal this idea" in gallery
    # Undo, then steal again: counted once, and no second email.
    assert c.post(f"/learning/sessions/storyboards/{board.pk}/unsteal/").status_code == 302
    assert (
        "<strong>0</strong> people intend"
        in c.get(f"/learning/sessions/{s.pk}/storyboards/").content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        c.post(f"/learning/sessions/storyboards/{board.pk}/steal/", {"note": ""})
    assert len(mail.outbox) == 2
    assert StoryboardSteal.objects.get().undone_at is None
    # Twice without undoing: a message, not a second steal.
    r = c.post(f"/learning/sessions/storyboards/{board.pk}/steal/", follow=True)
    assert "already said you will steal" in r.content.decode()


def test_team_cannot_steal_its_own_idea_and_outsiders_cannot_steal(world: Any, login: Any) -> None:
    s = past_session(world)
    board = sb.storyboard_submit_project(
        actor=world.people["staff_a"], session=s, project=make_project(world)
    )
    with pytest.raises(ValidationError, match="your own team"):
        sb.storyboard_steal(actor=world.people["partner_a"], storyboard=board)
    assert (
        login(world.people["outsider"])
        .post(f"/learning/sessions/storyboards/{board.pk}/steal/")
        .status_code
        == 404
    )
    assert (
        login(world.people["pm_o"])
        .post(f"/learning/sessions/storyboards/{board.pk}/unsteal/")
        .status_code
        == 404
    )
    assert not StoryboardSteal.objects.exists() and not mail.outbox


def test_withdraw_deletes_the_file(
    world: Any, login: Any, media: Any, django_capture_on_commit_callbacks: Any
) -> None:
    s = past_session(world)
    board = upload_board(world, s)
    url = f"/learning/sessions/storyboards/{board.pk}/withdraw/"
    assert login(world.people["staff_b"]).post(url).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert login(world.people["staff_a"]).post(url).status_code == 302
    assert not Storyboard.objects.exists()
    assert os.listdir(media / "storyboards") == []


# --- who presented -----------------------------------------------------------------------


def test_share_of_member_organisations_presented_excludes_former_members(
    world: Any, login: Any
) -> None:
    s = past_session(world)
    left = f.OrganisationFactory(name="Gone Before NHS Trust", ods_code="RG1")
    f.MembershipFactory(
        collaborative=world.collab,
        organisation=left,
        joined_on=dt.date(2020, 1, 1),
        left_on=s.starts_on - dt.timedelta(days=30),
    )
    late = f.OrganisationFactory(name="Joined Later NHS Trust", ods_code="RL1")
    f.MembershipFactory(
        collaborative=world.collab, organisation=late, joined_on=s.ends_on + dt.timedelta(days=1)
    )
    # Left after the session: it was a member while the session ran, so it counts.
    during = f.OrganisationFactory(name="Left Since NHS Trust", ods_code="RS1")
    f.MembershipFactory(
        collaborative=world.collab,
        organisation=during,
        joined_on=dt.date(2020, 1, 1),
        left_on=s.ends_on + dt.timedelta(days=2),
    )
    upload_board(world, s)
    result = sb.presented(session=s)
    assert [o.name for o in result.members] == [
        world.trust_a.name,
        world.trust_b.name,
        "Left Since NHS Trust",
    ]
    assert [o.name for o in result.presented] == [world.trust_a.name]
    assert result.headline == "1 of 3 member organisations presented (33%)."
    faculty_page = (
        login(world.people["faculty"]).get(f"/learning/sessions/{s.pk}/").content.decode()
    )
    assert "1 of 3 member organisations presented" in faculty_page
    assert (
        "Not yet presented: Brook Test Partnership NHS Trust, Left Since NHS Trust" in faculty_page
    )
    staff_page = login(world.people["staff_b"]).get(f"/learning/sessions/{s.pk}/").content.decode()
    assert "1 of 3 member organisations presented" in staff_page
    assert "Not yet presented" not in staff_page
    upload_board(world, s, "staff_b")
    upload_board(world, s, "faculty", organisation=during)
    assert sb.presented(session=s).headline == "100% of member organisations presented (3 of 3)."


# --- demo data ----------------------------------------------------------------------------


def test_demo_step_makes_storyboards_steals_and_feedback_idempotently(db: Any) -> None:
    from qicollab.demo import content as c
    from qicollab.demo import run_demo
    from qicollab.demo.context import DemoContext
    from qicollab.demo.events_feedback import build_events_feedback
    from qicollab.events import feedback
    from qicollab.events.models import FeedbackReceipt, FeedbackResponse, Registration
    from qicollab.organisations.models import Affiliation, Collaborative

    base = ["organisations", "people", "programme", "collaboratives", "memberships", "roles"]
    run_demo(only=[*base, "workstreams"])
    collab = Collaborative.objects.get(slug=c.MH_COLLABORATIVE.slug)
    # Tolerates a collaborative with no past sessions.
    build_events_feedback(DemoContext())
    assert not Storyboard.objects.exists()
    sessions = [
        make_session(collab, days_ahead=-300, title="LS1", slug="ls1"),
        make_session(collab, days_ahead=-150, title="LS2", slug="ls2"),
    ]
    staff = list(
        Affiliation.objects.filter(organisation__collaborative_memberships__collaborative=collab)
        .select_related("person")
        .order_by("person__email")
    )
    for s in sessions:
        for a in staff:
            Registration.objects.get_or_create(session=s, person=a.person, status="booked")

    def counts() -> tuple[int, ...]:
        return (
            Storyboard.objects.count(),
            Storyboard.history.count(),
            StoryboardSteal.objects.count(),
            FeedbackReceipt.objects.count(),
            FeedbackResponse.objects.count(),
        )

    build_events_feedback(DemoContext())
    first = counts()
    build_events_feedback(DemoContext())
    build_events_feedback(DemoContext(refresh=True))
    assert counts() == first
    assert first[0] >= 15 and first[2] > 0 and first[4] == first[3] > 10
    # Every member trust presented at the latest session; the feedback is mostly positive.
    assert sb.presented(session=sessions[-1]).pct == 100.0
    pooled = feedback.results_over_time(collaborative=collab)
    assert pooled.positive_pct is not None and pooled.positive_pct > 85
    board = Storyboard.objects.filter(kind="upload").first()
    assert board is not None and files.read_file(board, thumbnail=True)
