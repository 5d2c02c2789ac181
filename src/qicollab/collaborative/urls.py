from django.urls import path

from qicollab.collaborative import views

app_name = "collaborative"

urlpatterns = [
    path("<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("<slug:slug>/coaching/", views.coaching, name="coaching"),
    path("<slug:slug>/goals/", views.goal_list, name="goal_list"),
    path("<slug:slug>/goals/<slug:goal>/", views.goal_detail, name="goal_detail"),
    path(
        "<slug:slug>/workstreams/<slug:workstream>/",
        views.workstream_detail,
        name="workstream_detail",
    ),
    path("<slug:slug>/themes/<slug:theme>/", views.theme_detail, name="theme_detail"),
    path("<slug:slug>/portfolio/", views.portfolio, name="portfolio"),
    path("<slug:slug>/signals/", views.signals, name="signals"),
]
