"""documents pages: the registry and a page per document."""

from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("documents/", views.documents_page, name="list"),
    path("documents/<str:key>/", views.document_page, name="detail"),
]
