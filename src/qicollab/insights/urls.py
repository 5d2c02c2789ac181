"""The read side's pages, mounted under ``/collaboratives/`` beside the structure pages."""

from django.urls import path

from qicollab.insights import views

app_name = "insights"

urlpatterns = [
    path("<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("<slug:slug>/coaching/", views.coaching, name="coaching"),
    path("<slug:slug>/goals/", views.goal_list, name="goal_list"),
    path("<slug:slug>/goals/<slug:goal>/", views.goal_detail, name="goal_detail"),
    path("<slug:slug>/portfolio/", views.portfolio, name="portfolio"),
    path("<slug:slug>/signals/", views.signals, name="signals"),
]
