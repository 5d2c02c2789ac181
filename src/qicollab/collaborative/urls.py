from django.urls import path

from qicollab.collaborative import views

app_name = "collaborative"

urlpatterns = [
    path(
        "<slug:slug>/workstreams/<slug:workstream>/",
        views.workstream_detail,
        name="workstream_detail",
    ),
    path("<slug:slug>/themes/<slug:theme>/", views.theme_detail, name="theme_detail"),
]
