from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "qicollab.projects"
    label = "projects"
    verbose_name = "QI projects"
