from django.apps import AppConfig


class CapabilityConfig(AppConfig):
    name = "qicollab.capability"
    label = "capability"
    verbose_name = "QI capability (the 3 L's)"
