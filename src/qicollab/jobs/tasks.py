"""The one task every job runs through (Django's Tasks API, via the django-tasks backport)."""

from __future__ import annotations

from django_tasks import task

from qicollab.jobs import services


@task()
def run_job(job_id: str) -> None:
    """Run the job ``job_id``: the worker's entry point for every kind of job."""
    services.job_run(job_id)
