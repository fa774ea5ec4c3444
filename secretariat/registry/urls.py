"""registry pages: members and partners as of a date, and each actor's record; the
officers' forms that record actors and their statuses."""

from django.urls import path

from . import officer_views, views

app_name = "registry"
urlpatterns = [
    path("members/", views.members, name="members"),
    # Before actors/<slug>/: "new" is the form's address, not an actor's key.
    path("actors/new/", officer_views.actor_new, name="actor_new"),
    path("actors/<slug:slug>/", views.actor, name="actor"),
    path("actors/<slug:slug>/statuses/new/", officer_views.status_new, name="status_new"),
    path(
        "actors/<slug:slug>/statuses/<int:status_id>/end/",
        officer_views.status_end,
        name="status_end",
    ),
]
