from django.urls import path

from qicollab.excellence import views

app_name = "excellence"

urlpatterns = [
    path("", views.index, name="index"),
    path("report/", views.report_new_choose, name="report_choose"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/choices/", views.report_consent, name="report_consent"),
    path("reports/<int:pk>/acknowledge/", views.report_acknowledge, name="report_acknowledge"),
    path("reports/<int:pk>/themes/", views.report_themes, name="report_themes"),
    path("collaboratives/<slug:collab>/", views.rollup, name="rollup"),
    path("<slug:org>/report/", views.report_new, name="report_new"),
    path("<slug:org>/shared/", views.shared, name="shared"),
    path("<slug:org>/lead/", views.dashboard, name="dashboard"),
    path("<slug:org>/lead/export.<str:fmt>", views.export, name="export"),
    path("<slug:org>/lead/leads/", views.leads, name="leads"),
    path("<slug:org>/lead/themes/new/", views.theme_new, name="theme_new"),
    path("<slug:org>/lead/themes/<slug:slug>/", views.theme_detail, name="theme_detail"),
    path(
        "<slug:org>/lead/themes/<slug:slug>/project/",
        views.theme_start_project,
        name="theme_start_project",
    ),
    path(
        "<slug:org>/lead/themes/<slug:slug>/link/",
        views.theme_link_project,
        name="theme_link_project",
    ),
    path("<slug:org>/lead/inquiries/new/", views.inquiry_new, name="inquiry_new"),
    path("<slug:org>/lead/inquiries/<int:pk>/", views.inquiry_detail, name="inquiry_detail"),
]
