from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    """Comments on projects, measures (and chart points), PDSA cycles and storyboards."""

    name = "qicollab.discussion"
    label = "discussion"
