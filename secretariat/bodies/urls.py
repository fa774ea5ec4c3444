"""bodies pages: bodies and institutions, meetings (list, calendar by year, each meeting)."""

from django.urls import path

from . import views

app_name = "bodies"
urlpatterns = [
    path("bodies/", views.bodies, name="bodies"),
    path("bodies/<slug:body_slug>/", views.body, name="body"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/<slug:key>/", views.meeting, name="meeting"),
]
