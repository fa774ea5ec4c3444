"""registry pages: members and partners as of a date, and each actor's record."""

from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("members/", views.members, name="members"),
    path("actors/<slug:slug>/", views.actor, name="actor"),
]
