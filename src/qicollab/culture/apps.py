from django.apps import AppConfig


class CultureConfig(AppConfig):
    name = "qicollab.culture"
    label = "culture"
    verbose_name = "Safety culture"

    def ready(self) -> None:
        # The project page shows the culture actions that started or link it, without the
        # projects app importing this one (see core/contributions.py).
        from qicollab.core import contributions
        from qicollab.culture import presenters

        contributions.register("projects.project_detail", presenters.project_culture_actions)
