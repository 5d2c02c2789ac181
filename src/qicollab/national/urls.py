from django.urls import path

from qicollab.national import views

app_name = "national"

urlpatterns = [
    path("", views.index, name="index"),
    path("designations/<slug:collab>/", views.designation_list, name="designation_list"),
    path("<slug:slug>/", views.rollup, name="rollup"),
    path("<slug:slug>/export.<str:fmt>", views.rollup_export, name="rollup_export"),
    path("<slug:slug>/<slug:collab>/", views.rollup_collaborative, name="rollup_collaborative"),
]
