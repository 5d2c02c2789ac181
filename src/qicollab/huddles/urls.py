from django.urls import path

from qicollab.huddles import views

app_name = "huddles"

urlpatterns = [
    path("", views.index, name="index"),
    path("units/<int:pk>/", views.unit_home, name="unit"),
    path("units/<int:pk>/record/", views.huddle_record, name="huddle_record"),
    path("units/<int:pk>/harm/", views.harm_event_record, name="harm_event_record"),
    path("units/<int:pk>/actions/", views.action_list, name="action_list"),
    path("units/<int:pk>/actions/<int:action_pk>/close/", views.action_close, name="action_close"),
    path("units/<int:pk>/<slug:what>.csv", views.export, name="export"),
]
