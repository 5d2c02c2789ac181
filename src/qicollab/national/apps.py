from django.apps import AppConfig


class NationalConfig(AppConfig):
    name = "qicollab.national"
    label = "national"
    verbose_name = "National programme roll-up"
