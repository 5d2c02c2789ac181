from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "qicollab.measures"
    label = "measures"
    verbose_name = "Measures and charts"
