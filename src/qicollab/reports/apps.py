from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "qicollab.reports"
    label = "reports"
    verbose_name = "Reports and exports"
