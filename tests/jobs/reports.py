"""Following a report's job flow from a test: start it (POST), see its page, download the file."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from qicollab.jobs.models import Job


def start_report(client: Any, url: str) -> Job:
    """POST the report's button: a 303 to the job's page, which the owner can open."""
    resp = client.post(url)
    assert resp.status_code == 303, (url, resp.status_code)
    job_id = resp["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert resp["Location"] == reverse("jobs:job_detail", args=[job_id])
    assert client.get(resp["Location"]).status_code == 200
    return Job.objects.get(pk=job_id)


def download_report(client: Any, url: str) -> Any:
    """Start the report, check its page offers the file, and download it (in-process queue)."""
    job = start_report(client, url)
    page = client.get(reverse("jobs:job_detail", args=[job.pk]))
    download = reverse("jobs:job_download", args=[job.pk])
    assert b"Download the PDF" in page.content and download.encode() in page.content, url
    return client.get(download)
