"""Report pages: the form, and a report as a page or a download."""

from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("report/", views.report, name="report"),
    path("files/<int:file_id>/", views.report_file, name="file"),
    path("files/<int:file_id>/download/", views.report_file_download, name="file-download"),
]
