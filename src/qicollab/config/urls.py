"""Root URLs. Each app owns its own ``urls.py`` with an ``app_name``."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from qicollab.api.api import api

admin.site.site_header = "qicollab administration"
admin.site.site_title = "qicollab admin"

urlpatterns = [
    path("", include("qicollab.core.urls")),
    path("accounts/", include("qicollab.accounts.urls")),
    path("", include("qicollab.organisations.urls")),
    path("projects/", include("qicollab.projects.urls")),
    path("projects/", include("qicollab.measures.urls")),
    path("deaths/", include("qicollab.deaths.urls")),
    path("learning/", include("qicollab.capability.urls")),
    path("learning/sessions/", include("qicollab.events.urls")),
    path("collaboratives/", include("qicollab.collaborative.urls")),
    path("collaboratives/", include("qicollab.insights.urls")),
    path("collaboratives/", include("qicollab.measures.urls_library")),
    path("national/", include("qicollab.national.urls")),
    path("excellence/", include("qicollab.excellence.urls")),
    path("culture/", include("qicollab.culture.urls")),
    path("huddles/", include("qicollab.huddles.urls")),
    path("jobs/", include("qicollab.jobs.urls")),
    path("notifications/", include("qicollab.notifications.urls")),
    path("search/", include("qicollab.search.urls")),
    path("discussion/", include("qicollab.discussion.urls")),
    path("", include("qicollab.innovations.urls")),
    path("showcase/", include("qicollab.innovations.urls_public")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
if getattr(settings, "OIDC_ENABLED", False):
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

handler400 = "qicollab.core.views.bad_request"
handler403 = "qicollab.core.views.permission_denied"
handler404 = "qicollab.core.views.page_not_found"
handler500 = "qicollab.core.views.server_error"
