from django.urls import path

from qicollab.deaths.views import cases, learning, overview, reviews, team

app_name = "deaths"

case = "<slug:slug>/cases/<int:pk>/"

urlpatterns = [
    path("", overview.home, name="home"),
    path("library/<slug:slug>/", learning.library, name="library"),
    path("library/<slug:slug>/<int:pk>/", learning.library_detail, name="library_detail"),
    path(
        "collaboratives/<slug:slug>/", overview.collaborative_figures, name="collaborative_figures"
    ),
    path("<slug:slug>/dashboard/", overview.dashboard, name="dashboard"),
    path(
        "<slug:slug>/dashboard/export.<str:fmt>", overview.dashboard_export, name="dashboard_export"
    ),
    path("<slug:slug>/team/", team.team, name="team"),
    path("<slug:slug>/team/<int:member_pk>/remove/", team.team_remove, name="team_remove"),
    path("<slug:slug>/settings/", team.settings_edit, name="settings"),
    path("<slug:slug>/access-log/", team.access_log, name="access_log"),
    path("<slug:slug>/cases/", cases.case_list, name="case_list"),
    path("<slug:slug>/cases/new/", cases.case_create, name="case_create"),
    path("<slug:slug>/cases/export.csv", cases.cases_export, name="cases_export"),
    path(case, cases.case_detail, name="case_detail"),
    path(case + "edit/", cases.case_edit, name="case_edit"),
    path(case + "screening/", cases.screening_edit, name="screening_edit"),
    path(case + "delete/", cases.case_delete, name="case_delete"),
    path(case + "names/", cases.case_names, name="case_names"),
    path(case + "names/<int:name_pk>/remove/", cases.case_name_remove, name="case_name_remove"),
    path(case + "reviews/<int:stage>/start/", reviews.review_start, name="review_start"),
    path(case + "reviews/<int:stage>/", reviews.review_edit, name="review_edit"),
    path(case + "reviews/<int:stage>/reopen/", reviews.review_reopen, name="review_reopen"),
    path(case + "family/", reviews.family_edit, name="family_edit"),
    path(case + "candour/", reviews.candour_edit, name="candour_edit"),
    path(case + "actions/new/", reviews.action_edit, name="action_create"),
    path(case + "actions/<int:action_pk>/", reviews.action_edit, name="action_edit"),
    path(case + "summary/", learning.summary_edit, name="summary_edit"),
    path(case + "summary/check/", learning.summary_check, name="summary_check"),
    path(case + "summary/approve/", learning.summary_approve, name="summary_approve"),
    path(case + "summary/withdraw/", learning.summary_withdraw, name="summary_withdraw"),
]
