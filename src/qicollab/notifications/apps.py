from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "qicollab.notifications"
    label = "notifications"
    verbose_name = "Notifications"
