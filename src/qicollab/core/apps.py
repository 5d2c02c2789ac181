from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "qicollab.core"
    label = "core"

    def ready(self) -> None:
        from qicollab.core.forms import refuse_unstorable_text

        refuse_unstorable_text()
