from django.urls import path

from secretariat.records import edit

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    # The site's edit page of any record the admin keeps (officers only).
    path("edit/<str:app_label>/<slug:slug>/<int:pk>/", edit.record_edit, name="edit"),
]
