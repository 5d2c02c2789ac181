from django.urls import path

from qicollab.events import views, views_feed, views_feedback, views_organiser, views_storyboards

app_name = "events"

urlpatterns = [
    path("", views.session_list, name="session_list"),
    path("my-calendar.ics", views.my_ics, name="my_ics"),
    path("feed/<str:token>.ics", views_feed.my_ics_feed, name="my_ics_feed"),
    path("calendar/<slug:slug>.ics", views.collaborative_ics, name="collaborative_ics"),
    path("<int:pk>/", views.session_detail, name="session_detail"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/check-in/", views.check_in, name="check_in"),
    path("workshops/<int:pk>/book/", views.workshop_book, name="workshop_book"),
    path("workshops/<int:pk>/cancel/", views.workshop_cancel, name="workshop_cancel"),
    # Feedback (views_feedback.py)
    path("<int:pk>/feedback/", views_feedback.feedback_give, name="feedback_give"),
    path("<int:pk>/feedback/thanks/", views_feedback.feedback_thanks, name="feedback_thanks"),
    path("<int:pk>/feedback/results/", views_feedback.feedback_results, name="feedback_results"),
    # Storyboards (views_storyboards.py)
    path("<int:pk>/storyboards/", views_storyboards.storyboard_gallery, name="storyboard_gallery"),
    path(
        "<int:pk>/storyboards/new/", views_storyboards.storyboard_submit, name="storyboard_submit"
    ),
    path(
        "<int:pk>/storyboards/new/project/",
        views_storyboards.storyboard_submit_project,
        name="storyboard_submit_project",
    ),
    path(
        "<int:pk>/storyboards/new/upload/",
        views_storyboards.storyboard_upload,
        name="storyboard_upload",
    ),
    path("storyboards/<int:pk>/file/", views_storyboards.storyboard_file, name="storyboard_file"),
    path(
        "storyboards/<int:pk>/thumbnail/",
        views_storyboards.storyboard_thumbnail,
        name="storyboard_thumbnail",
    ),
    path(
        "storyboards/<int:pk>/steal/", views_storyboards.storyboard_steal, name="storyboard_steal"
    ),
    path(
        "storyboards/<int:pk>/unsteal/",
        views_storyboards.storyboard_unsteal,
        name="storyboard_unsteal",
    ),
    path(
        "storyboards/<int:pk>/withdraw/",
        views_storyboards.storyboard_withdraw,
        name="storyboard_withdraw",
    ),
    # Organisers (views_organiser.py)
    path("new/", views_organiser.session_create, name="session_create"),
    path("<int:pk>/edit/", views_organiser.session_edit, name="session_edit"),
    path("<int:pk>/delete/", views_organiser.session_delete, name="session_delete"),
    path("<int:pk>/check-in/print/", views_organiser.check_in_print, name="check_in_print"),
    path("<int:pk>/agenda/new/", views_organiser.agenda_item_create, name="agenda_item_create"),
    path("agenda/<int:pk>/edit/", views_organiser.agenda_item_edit, name="agenda_item_edit"),
    path("agenda/<int:pk>/delete/", views_organiser.agenda_item_delete, name="agenda_item_delete"),
    path("action-periods/new/", views_organiser.action_period_create, name="action_period_create"),
    path(
        "action-periods/<int:pk>/edit/",
        views_organiser.action_period_edit,
        name="action_period_edit",
    ),
    path(
        "action-periods/<int:pk>/delete/",
        views_organiser.action_period_delete,
        name="action_period_delete",
    ),
]
