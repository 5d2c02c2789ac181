from django.urls import path

from qicollab.projects.views import aim, drivers, pdsa, progress, projects, team

app_name = "projects"

urlpatterns = [
    path("", projects.project_list, name="project_list"),
    path("new/", projects.project_create, name="project_create"),
    path("<slug:slug>/", projects.project_detail, name="project_detail"),
    path("<slug:slug>/edit/", projects.project_edit, name="project_edit"),
    path("<slug:slug>/sharing/", projects.project_sharing, name="project_sharing"),
    path("<slug:slug>/team/", team.team, name="team"),
    path("<slug:slug>/team/<int:pk>/role/", team.member_role, name="member_role"),
    path("<slug:slug>/team/<int:pk>/remove/", team.member_remove, name="member_remove"),
    path(
        "<slug:slug>/co-production/<slug:stage>/", team.coproduction_edit, name="coproduction_edit"
    ),
    path("<slug:slug>/aim/", aim.aim_edit, name="aim_edit"),
    path("<slug:slug>/aim/check/", aim.aim_check, name="aim_check"),
    path("<slug:slug>/progress/", progress.progress, name="progress"),
    path(
        "<slug:slug>/progress/new/<slug:rater>/", progress.progress_create, name="progress_create"
    ),
    path("<slug:slug>/progress/<int:pk>/edit/", progress.progress_edit, name="progress_edit"),
    path("<slug:slug>/drivers/", drivers.drivers, name="drivers"),
    path("<slug:slug>/drivers/diagram.svg", drivers.diagram_svg, name="diagram_svg"),
    path("<slug:slug>/drivers/<slug:kind>/add/", drivers.node_add, name="node_add"),
    path("<slug:slug>/drivers/<slug:kind>/<int:pk>/edit/", drivers.node_edit, name="node_edit"),
    path("<slug:slug>/drivers/<slug:kind>/<int:pk>/move/", drivers.node_move, name="node_move"),
    path(
        "<slug:slug>/drivers/<slug:kind>/<int:pk>/delete/", drivers.node_delete, name="node_delete"
    ),
    path("<slug:slug>/pdsa/", pdsa.pdsa_list, name="pdsa_list"),
    path("<slug:slug>/pdsa/new/", pdsa.pdsa_create, name="pdsa_create"),
    path("<slug:slug>/pdsa/<int:pk>/", pdsa.pdsa_detail, name="pdsa_detail"),
    path("<slug:slug>/pdsa/<int:pk>/edit/", pdsa.pdsa_edit, name="pdsa_edit"),
    path("<slug:slug>/pdsa/<int:pk>/delete/", pdsa.pdsa_delete, name="pdsa_delete"),
]
