from django.urls import path

from qicollab.events import views

app_name = "events"

urlpatterns = [
    path("", views.session_list, name="session_list"),
    path("my-calendar.ics", views.my_ics, name="my_ics"),
    path("calendar/<slug:slug>.ics", views.collaborative_ics, name="collaborative_ics"),
    path("<int:pk>/", views.session_detail, name="session_detail"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/check-in/", views.check_in, name="check_in"),
    path("workshops/<int:pk>/book/", views.workshop_book, name="workshop_book"),
    path("workshops/<int:pk>/cancel/", views.workshop_cancel, name="workshop_cancel"),
]
