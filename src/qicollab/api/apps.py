from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "qicollab.api"
    label = "api"
