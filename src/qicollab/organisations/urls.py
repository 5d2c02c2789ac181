from django.urls import path

from qicollab.organisations import views, views_home

app_name = "organisations"

urlpatterns = [
    path("", views_home.home, name="home"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path("collaboratives/", views.collaborative_list, name="collaborative_list"),
    path("collaboratives/switch/", views.collaborative_switch, name="collaborative_switch"),
    path("collaboratives/<slug:slug>/", views.collaborative_detail, name="collaborative_detail"),
    path("collaboratives/<slug:slug>/edit/", views.collaborative_edit, name="collaborative_edit"),
    path("collaboratives/<slug:slug>/members/add/", views.membership_add, name="membership_add"),
    path(
        "collaboratives/<slug:slug>/members/<int:pk>/end/",
        views.membership_end,
        name="membership_end",
    ),
]
