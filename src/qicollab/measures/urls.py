"""Measure pages, under their project: /projects/<slug>/measures/..."""

from django.urls import path

from qicollab.measures.views import bundles, data, library, measures, storyboard

app_name = "measures"

M = "<slug:slug>/measures/<int:pk>/"
B = "<slug:slug>/bundles/<int:pk>/"

urlpatterns = [
    path("<slug:slug>/measures/", measures.measure_list, name="measure_list"),
    path("<slug:slug>/measures/new/", measures.measure_create, name="measure_create"),
    path(
        "<slug:slug>/measures/export.csv",
        measures.project_export,
        {"fmt": "csv"},
        name="project_export_csv",
    ),
    path(
        "<slug:slug>/measures/export.xlsx",
        measures.project_export,
        {"fmt": "xlsx"},
        name="project_export_xlsx",
    ),
    path(M, measures.measure_detail, name="measure_detail"),
    path(M + "edit/", measures.measure_edit, name="measure_edit"),
    path(M + "delete/", measures.measure_delete, name="measure_delete"),
    path(M + "chart.svg", measures.chart_download, {"fmt": "svg"}, name="chart_svg"),
    path(M + "chart.png", measures.chart_download, {"fmt": "png"}, name="chart_png"),
    path(M + "export.csv", measures.measure_export, {"fmt": "csv"}, name="export_csv"),
    path(M + "export.xlsx", measures.measure_export, {"fmt": "xlsx"}, name="export_xlsx"),
    path(M + "decisions/", measures.chart_event_add, name="chart_event_add"),
    path(
        M + "decisions/<int:event_pk>/remove/",
        measures.chart_event_remove,
        name="chart_event_remove",
    ),
    path(M + "follow-library/", library.measure_follow_library, name="measure_follow_library"),
    path(M + "data/", data.data_grid, name="data_grid"),
    path(M + "data/<str:period>/", data.data_cell, name="data_cell"),
    path(M + "import/", data.data_import, name="data_import"),
    path(M + "import/confirm/", data.data_import_confirm, name="data_import_confirm"),
    path("<slug:slug>/storyboard/", storyboard.storyboard_page, name="storyboard"),
    path(
        "<slug:slug>/storyboard-a4.pdf",
        storyboard.storyboard_pdf,
        {"size": "a4"},
        name="storyboard_a4",
    ),
    path(
        "<slug:slug>/storyboard-a3.pdf",
        storyboard.storyboard_pdf,
        {"size": "a3"},
        name="storyboard_a3",
    ),
    path("<slug:slug>/bundles/new/", bundles.bundle_create, name="bundle_create"),
    path(B, bundles.bundle_detail, name="bundle_detail"),
    path(B + "audits/new/", bundles.audit_add, name="audit_add"),
    path(B + "audits/<int:audit_pk>/delete/", bundles.audit_delete, name="audit_delete"),
]
