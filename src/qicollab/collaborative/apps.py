from django.apps import AppConfig


class CollaborativeConfig(AppConfig):
    name = "qicollab.collaborative"
    label = "collaborative"
