from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """The programme-wide read side; it contributes to domain pages instead of being imported."""

    name = "qicollab.insights"
    label = "insights"

    def ready(self) -> None:
        from qicollab.core import contributions
        from qicollab.insights import dashboard, pages

        contributions.register("organisations.collaborative_detail", dashboard.hub_extras)
        contributions.register("collaborative.workstream_detail", pages.workstream_goals)
