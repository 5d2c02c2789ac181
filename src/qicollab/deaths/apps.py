from django.apps import AppConfig


class DeathsConfig(AppConfig):
    name = "qicollab.deaths"
    label = "deaths"
    verbose_name = "Learning from deaths"
