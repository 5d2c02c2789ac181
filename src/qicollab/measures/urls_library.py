"""The measure library's pages: /collaboratives/<slug>/measure-library/."""

from django.urls import path

from qicollab.measures.views import library

app_name = "measure_library"

L = "<slug:slug>/measure-library/"
D = L + "<int:pk>/"

urlpatterns = [
    path(L, library.library_list, name="library_list"),
    path(L + "new/", library.library_create, name="library_create"),
    path(D, library.library_detail, name="library_detail"),
    path(D + "edit/", library.library_edit, name="library_edit"),
    path(D + "use/", library.library_use, name="library_use"),
    path(D + "sites/", library.cross_site, name="cross_site"),
]
