from django.urls import path

from qicollab.innovations import views_public

app_name = "showcase"

urlpatterns = [
    path("", views_public.showcase, name="showcase"),
    path("feed.atom", views_public.ShowcaseFeed(), name="feed"),
    path("<slug:slug>/", views_public.showcase_detail, name="showcase_detail"),
]
