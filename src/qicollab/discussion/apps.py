from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    """Comments on projects, measures (and chart points), PDSA cycles and storyboards."""

    name = "qicollab.discussion"
    label = "discussion"

    def ready(self) -> None:
        from qicollab.core import contributions
        from qicollab.discussion import pages

        contributions.register("projects.project_detail", pages.project_thread)
        contributions.register("measures.measure_detail", pages.measure_thread)
        contributions.register("projects.pdsa_detail", pages.pdsa_thread)
