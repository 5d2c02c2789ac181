from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "qicollab.events"
    label = "events"
    verbose_name = "Learning sessions"
