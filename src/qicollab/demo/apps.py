from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and synthetic seed data: an app only so its management commands are found."""

    name = "qicollab.demo"
    label = "demo"
