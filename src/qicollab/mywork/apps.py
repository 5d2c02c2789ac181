from django.apps import AppConfig


class MyWorkConfig(AppConfig):
    name = "qicollab.mywork"
    label = "mywork"
    verbose_name = "My work"

    def ready(self) -> None:
        # The home page's blocks: each owning app's selectors, gathered here and handed to
        # the home page (organisations) through core.contributions.
        from qicollab.mywork import blocks

        blocks.register_all()
