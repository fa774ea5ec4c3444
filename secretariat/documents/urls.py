"""documents pages: the registry and a page per document, and the officers' forms on them."""

from django.urls import path

from . import officer_views, views

app_name = "documents"
urlpatterns = [
    path("documents/", views.documents_page, name="list"),
    # Before the document's own page, whose key would otherwise take "new".
    path("documents/new/", officer_views.document_new, name="new"),
    path("documents/<str:key>/", views.document_page, name="detail"),
    path("documents/<str:key>/versions/new/", officer_views.version_new, name="version-new"),
    path(
        "documents/<str:key>/versions/<int:number>/texts/new/",
        officer_views.text_new,
        name="text-new",
    ),
    path("documents/<str:key>/circulate/", officer_views.circulate, name="circulate"),
]
