from django.apps import AppConfig


class ExcellenceConfig(AppConfig):
    name = "qicollab.excellence"
    label = "excellence"
    verbose_name = "Learning from Excellence"
