from django.urls import path

from qicollab.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read-all/", views.notification_read_all, name="read_all"),
    path("<int:pk>/read/", views.notification_read, name="read"),
    path("<int:pk>/open/", views.notification_open, name="open"),
    path("settings/", views.preferences, name="preferences"),
    path("settings/<str:token>/", views.one_setting, name="one_setting"),
]
