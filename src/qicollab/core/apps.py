from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "qicollab.core"
    label = "core"
