from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "qicollab.organisations"
    label = "organisations"
