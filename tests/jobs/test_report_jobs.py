"""PDF reports as background jobs: start, progress page, download by the owner only, while
they may still see what the report shows; reuse on a double click; no file from a failure."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from qicollab.deaths.models import MortalityTeamMember
from qicollab.jobs.models import Job, JobOutput, JobStatus
from qicollab.jobs.services import UNEXPECTED, jobs_purge
from qicollab.projects import services as project_services
from qicollab.projects.models import Project, Sharing
from tests.jobs.helpers import run_worker
from tests.jobs.reports import download_report, start_report
from tests.national.conftest import Nation, Q

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def download_url(job: Job) -> str:
    return reverse("jobs:job_download", args=[job.pk])


def is_pdf(resp: Any) -> bool:
    return (
        resp.status_code == 200
        and resp["Content-Type"] == "application/pdf"
        and resp.content.startswith(b"%PDF")
        and "attachment" in resp["Content-Disposition"]
    )


@pytest.fixture
def shared_project(world: Any) -> Project:
    """A project staff_a leads at trust A, shared with everyone in the collaborative."""
    return project_services.project_create(
        actor=world.people["staff_a"],
        collaborative=world.collab,
        lead_organisation=world.trust_a,
        title="Safer observations on Willow ward",
        sharing=Sharing.COLLABORATIVE,
    )


# --- storyboards ----------------------------------------------------------------------------


def test_storyboard_job_start_status_and_download(
    world: Any, login: Any, shared_project: Project
) -> None:
    owner = login(world.people["staff_b"])
    url = reverse("measures:storyboard_a3", args=[shared_project.slug])
    job = start_report(owner, url)
    assert job.status == JobStatus.SUCCEEDED and job.kind == "measures.storyboard_pdf"
    page = owner.get(reverse("jobs:job_detail", args=[job.pk]))
    assert b"Download the PDF" in page.content and b"hx-trigger" not in page.content
    api = owner.get(f"/api/jobs/{job.pk}").json()
    assert api["status"] == "succeeded" and api["result"]["url"] == download_url(job)
    resp = owner.get(download_url(job))
    assert is_pdf(resp)
    assert (
        'filename="safer-observations-on-willow-ward-storyboard-a3.pdf"'
        in (resp["Content-Disposition"])
    )
    assert resp["Cache-Control"] == "private, no-store"
    # staff_a may see the project too, but the job (and its file) is staff_b's alone.
    for persona in ("staff_a", "national_admin", "outsider"):
        assert login(world.people[persona]).get(download_url(job)).status_code == 404, persona
    assert login(None).get(download_url(job)).status_code == 302


def test_storyboard_download_is_refused_once_access_is_lost(
    world: Any, login: Any, shared_project: Project
) -> None:
    owner = login(world.people["staff_b"])
    job = start_report(owner, reverse("measures:storyboard_a4", args=[shared_project.slug]))
    assert is_pdf(owner.get(download_url(job)))
    Project.objects.filter(pk=shared_project.pk).update(sharing=Sharing.PRIVATE)
    assert owner.get(download_url(job)).status_code == 404
    # The file is still there: access, not the file, decided the 404.
    assert JobOutput.objects.filter(job=job).exists()


def test_storyboard_double_click_reuses_the_job_until_the_data_changes(
    world: Any, login: Any, shared_project: Project
) -> None:
    owner = login(world.people["staff_a"])
    url = reverse("measures:storyboard_a4", args=[shared_project.slug])
    first = start_report(owner, url)
    again = start_report(owner, url)
    assert again.pk == first.pk and Job.objects.filter(kind=first.kind).count() == 1
    # Another size is another report.
    a3 = start_report(owner, reverse("measures:storyboard_a3", args=[shared_project.slug]))
    assert a3.pk != first.pk
    # Someone else's click is their own job.
    other = start_report(login(world.people["pm_a"]), url)
    assert other.pk != first.pk
    # Once the project changes, the old PDF is out of date: a new job makes a new one.
    shared_project.title = "Safer observations on Willow and Ash wards"
    shared_project.save()
    fresh = start_report(login(world.people["staff_a"]), url)
    assert fresh.pk != first.pk and fresh.status == JobStatus.SUCCEEDED


def test_storyboard_buttons_post_with_csrf_and_old_links_lead_to_the_page(
    world: Any, login: Any, shared_project: Project
) -> None:
    staff = world.people["staff_a"]
    page = login(staff).get(reverse("measures:storyboard", args=[shared_project.slug]))
    a4 = reverse("measures:storyboard_a4", args=[shared_project.slug])
    assert f'method="post" action="{a4}"'.encode() in page.content
    assert b"csrfmiddlewaretoken" in page.content
    old = login(staff).get(a4)
    assert old.status_code == 302 and old["Location"] == reverse(
        "measures:storyboard", args=[shared_project.slug]
    )
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(staff)
    assert strict.post(a4).status_code == 403 and not Job.objects.exists()
    # Outsiders cannot start one; visitors to a public project are asked to sign in.
    assert login(world.people["outsider"]).post(a4).status_code == 404
    Project.objects.filter(pk=shared_project.pk).update(sharing=Sharing.PUBLIC)
    visitor = login(None).post(a4)
    assert visitor.status_code == 302 and "/login" in visitor["Location"]
    assert not Job.objects.exists()


def test_a_failed_render_saves_no_file_and_does_not_block_a_new_try(
    world: Any, login: Any, shared_project: Project, monkeypatch: Any
) -> None:
    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise RuntimeError("Pango went away")

    monkeypatch.setattr("qicollab.measures.jobs.render_pdf", broken)
    owner = login(world.people["staff_a"])
    url = reverse("measures:storyboard_a4", args=[shared_project.slug])
    failed = start_report(owner, url)
    assert failed.status == JobStatus.FAILED and failed.error == UNEXPECTED
    assert not JobOutput.objects.exists()
    assert owner.get(download_url(failed)).status_code == 404
    page = owner.get(reverse("jobs:job_detail", args=[failed.pk]))
    assert b"This did not finish" in page.content and b"Download the PDF" not in page.content
    monkeypatch.undo()
    retry = start_report(owner, url)
    assert retry.pk != failed.pk and retry.status == JobStatus.SUCCEEDED
    assert is_pdf(owner.get(download_url(retry)))


@override_settings(TASKS=DB_QUEUE)
def test_on_the_database_queue_the_page_says_preparing_until_a_worker_renders_it(
    world: Any, login: Any, shared_project: Project
) -> None:
    owner = login(world.people["staff_a"])
    url = reverse("measures:storyboard_a4", args=[shared_project.slug])
    job = start_report(owner, url)
    assert job.status == JobStatus.QUEUED
    fragment = owner.get(reverse("jobs:job_detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert b'hx-trigger="every 1s"' in fragment.content and b"<progress" in fragment.content
    assert owner.get(download_url(job)).status_code == 404  # nothing to download yet
    assert start_report(owner, url).pk == job.pk  # a reload while it waits: the same job
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and (job.done, job.total) == (2, 2)
    assert is_pdf(owner.get(download_url(job)))
    assert Job.objects.filter(kind="measures.storyboard_pdf").count() == 1


def test_purging_a_job_deletes_its_file(world: Any, login: Any, shared_project: Project) -> None:
    owner = login(world.people["staff_a"])
    job = start_report(owner, reverse("measures:storyboard_a4", args=[shared_project.slug]))
    assert JobOutput.objects.filter(job=job).exists()
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timedelta(days=400))
    assert jobs_purge() >= 1
    assert not JobOutput.objects.exists()
    assert owner.get(download_url(job)).status_code == 404


# --- the national quarterly report ---------------------------------------------------------


def test_national_report_job_flow_and_permissions(nation: Nation, login: Any) -> None:
    w = nation.world
    url = reverse("national:rollup_export", args=[w.programme.slug, "pdf"]) + f"?quarter={Q.slug}"
    admin = login(w.people["national_admin"])
    page = admin.get(reverse("national:rollup", args=[w.programme.slug]) + f"?quarter={Q.slug}")
    assert f'method="post" action="{url}"'.encode() in page.content
    old = admin.get(url)
    assert old.status_code == 302 and old["Location"].endswith(f"?quarter={Q.slug}")
    job = start_report(admin, url)
    assert job.params["quarter"] == Q.slug and job.status == JobStatus.SUCCEEDED
    assert is_pdf(admin.get(download_url(job)))
    assert start_report(admin, url).pk == job.pk  # a double click
    # The collaborative lead may see (part of) the roll-up, but not another person's job.
    for persona in ("collab_lead", "faculty", "outsider"):
        assert login(w.people[persona]).get(download_url(job)).status_code == 404, persona
    assert login(w.people["faculty"]).post(url).status_code == 403
    assert login(w.people["outsider"]).post(url).status_code == 404
    bad = admin.post(url.replace(Q.slug, "Q9"))
    assert bad.status_code == 400 and "not a quarter" in bad.content.decode()
    # No longer a national admin: the report showed every collaborative, so it is refused.
    w.programme.admins.remove(w.people["national_admin"])
    assert admin.get(download_url(job)).status_code == 404


def test_a_collaborative_leads_report_covers_their_collaborative_only(
    nation: Nation, login: Any
) -> None:
    w = nation.world
    url = reverse("national:rollup_export", args=[w.programme.slug, "pdf"]) + f"?quarter={Q.slug}"
    lead = login(w.people["collab_lead"])
    resp = download_report(lead, url)
    assert is_pdf(resp)
    job = Job.objects.get(owner=w.people["collab_lead"])
    assert job.result is not None and job.result["collaboratives"] == [w.collab.pk]


# --- the learning-from-deaths board report --------------------------------------------------


def test_deaths_board_report_job_flow_and_permissions(teams: Any, login: Any) -> None:
    slug = teams.trust_a.slug
    url = reverse("deaths:dashboard_export", args=[slug, "pdf"]) + "?start=2025-Q1&end=2025-Q2"
    staff = login(teams.people["staff_a"])
    page = staff.get(reverse("deaths:dashboard", args=[slug]) + "?start=2025-Q1&end=2025-Q2")
    action = url.replace("&", "&amp;")
    assert f'method="post" action="{action}"'.encode() in page.content
    old = staff.get(url)
    assert old.status_code == 302 and old["Location"].endswith("?start=2025-Q1&end=2025-Q2")
    job = start_report(staff, url)
    assert (job.params["start"], job.params["end"]) == ("2025-Q1", "2025-Q2")
    resp = staff.get(download_url(job))
    assert is_pdf(resp) and f'filename="{slug}-learning-from-deaths-' in resp["Content-Disposition"]
    assert start_report(staff, url).pk == job.pk  # a reload
    # lead_a sees the same dashboard, but the job is staff_a's.
    for persona in ("lead_a", "pm_a", "reviewer_b", "outsider"):
        assert login(teams.people[persona]).get(download_url(job)).status_code == 404, persona
    assert login(teams.people["reviewer_b"]).post(url).status_code == 404
    # CSV and Excel stay immediate downloads, and are not POSTed to.
    csv_url = reverse("deaths:dashboard_export", args=[slug, "csv"])
    assert staff.get(csv_url).status_code == 200 and staff.post(csv_url).status_code == 405
    # Off the team: the board report is no longer theirs to download.
    MortalityTeamMember.objects.filter(
        organisation=teams.trust_a, person=teams.people["staff_a"]
    ).delete()
    assert staff.get(download_url(job)).status_code == 404
