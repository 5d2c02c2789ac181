from django.urls import path

from qicollab.discussion import views

app_name = "discussion"

urlpatterns = [
    path("<slug:kind>/<int:pk>/", views.thread, name="thread"),
    path("<slug:kind>/<int:pk>/comments/", views.comment_add, name="comment_add"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/remove/", views.comment_remove, name="comment_remove"),
]
