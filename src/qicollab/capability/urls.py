from django.urls import path

from qicollab.capability import views

app_name = "capability"

urlpatterns = [
    path("", views.home, name="home"),
    path("assess/", views.assess, name="assess"),
    path("assessments/", views.assessment_list, name="assessment_list"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("capability/", views.aggregates, name="aggregates"),
    path("subjects/defaults/", views.seed_subjects, name="seed_subjects"),
]
