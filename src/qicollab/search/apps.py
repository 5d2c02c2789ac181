from django.apps import AppConfig


class SearchConfig(AppConfig):
    """One search over the database's own full-text engine; keeps its index current."""

    name = "qicollab.search"
    label = "search"

    def ready(self) -> None:
        from qicollab.core import contributions
        from qicollab.search import signals, similar

        signals.connect()
        contributions.register("projects.project_detail", similar.project_similar_work)
