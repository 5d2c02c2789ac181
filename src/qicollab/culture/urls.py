from django.urls import path

from qicollab.culture import views

app_name = "culture"

urlpatterns = [
    path("", views.home, name="home"),
    path("instruments/", views.instrument_list, name="instrument_list"),
    path("instruments/load/", views.instrument_upload, name="instrument_upload"),
    path("instruments/<int:pk>/", views.instrument_detail, name="instrument_detail"),
    path("waves/new/", views.wave_create, name="wave_create"),
    path("waves/<int:pk>/", views.wave_detail, name="wave_detail"),
    path("waves/<int:pk>/close/", views.wave_close, name="wave_close"),
    path("waves/<int:pk>/share/", views.share_add, name="share_add"),
    path("waves/<int:pk>/share/<int:person_id>/remove/", views.share_remove, name="share_remove"),
    path("waves/<int:pk>/units/<int:wu>/link/", views.wave_unit_link, name="wave_unit_link"),
    path("waves/<int:pk>/units/<int:wu>/codes/", views.wave_unit_codes, name="wave_unit_codes"),
    path("waves/<int:pk>/units/<int:wu>/results/", views.results, name="results"),
    path("waves/<int:pk>/units/<int:wu>/debrief-pack.pdf", views.results_pdf, name="results_pdf"),
    path("waves/<int:pk>/units/<int:wu>/results.csv", views.results_csv, name="results_csv"),
    path("waves/<int:pk>/units/<int:wu>/debriefs/new/", views.debrief_form, name="debrief_new"),
    path(
        "waves/<int:pk>/units/<int:wu>/debriefs/<int:debrief_id>/",
        views.debrief_form,
        name="debrief_edit",
    ),
    path(
        "waves/<int:pk>/units/<int:wu>/debriefs/<int:debrief_id>/actions/new/",
        views.action_form,
        name="action_new",
    ),
    path(
        "waves/<int:pk>/units/<int:wu>/debriefs/<int:debrief_id>/actions/<int:action_id>/",
        views.action_form,
        name="action_edit",
    ),
    path(
        "waves/<int:pk>/units/<int:wu>/debriefs/<int:debrief_id>/actions/<int:action_id>/project/",
        views.action_project,
        name="action_project",
    ),
    path("participation/<slug:slug>/", views.participation, name="participation"),
    # Answering: no sign-in.
    path("s/<str:token>/", views.answer_link, name="answer_link"),
    path("code/", views.answer_code, name="answer_code"),
    path("thanks/", views.answer_thanks, name="answer_thanks"),
]
