from django.apps import AppConfig


class HuddlesConfig(AppConfig):
    name = "qicollab.huddles"
    label = "huddles"
    verbose_name = "Safety huddles and harm-free days"
