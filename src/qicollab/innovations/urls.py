from django.urls import path

from qicollab.innovations import views

app_name = "innovations"

urlpatterns = [
    path("collaboratives/<slug:slug>/innovations/", views.innovation_list, name="innovation_list"),
    path(
        "collaboratives/<slug:slug>/innovations/import/",
        views.package_import,
        name="package_import",
    ),
    path(
        "innovations/new/from-project/<slug:project_slug>/",
        views.innovation_create,
        name="innovation_create",
    ),
    path("innovations/harvest/<int:pk>/", views.harvest, name="harvest"),
    path("innovations/<slug:slug>/", views.innovation_detail, name="innovation_detail"),
    path("innovations/<slug:slug>/edit/", views.innovation_edit, name="innovation_edit"),
    path("innovations/<slug:slug>/spread/", views.spread_view, name="spread"),
    path("innovations/<slug:slug>/adopt/", views.adopt, name="adopt"),
    path("innovations/<slug:slug>/resources/", views.resource_add, name="resource_add"),
    path("innovations/<slug:slug>/resources/<int:pk>/", views.resource_file, name="resource_file"),
    path(
        "innovations/<slug:slug>/change-package.json",
        views.package_export,
        name="package_export",
    ),
    path("adoptions/<int:pk>/", views.adoption_detail, name="adoption_detail"),
    path("adoptions/<int:pk>/start-project/", views.start_project, name="start_project"),
]
