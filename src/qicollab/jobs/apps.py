from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "qicollab.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        # Each domain app declares its job handlers and schedules in ``<app>/jobs.py``;
        # importing them here fills the registry before any worker picks up a job.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("jobs")

        from qicollab.core.observability import SCRAPE_COLLECTORS
        from qicollab.jobs.metrics import JobQueueCollector

        if JobQueueCollector not in SCRAPE_COLLECTORS:
            SCRAPE_COLLECTORS.append(JobQueueCollector)
