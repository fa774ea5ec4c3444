"""bodies pages: bodies and institutions, meetings (list, calendar by year, each meeting);
the officers' forms that record meetings and what becomes of them."""

from django.urls import path

from . import officer_views as officer
from . import views

app_name = "bodies"
urlpatterns = [
    path("bodies/", views.bodies, name="bodies"),
    path("bodies/<slug:body_slug>/", views.body, name="body"),
    path(
        "bodies/<slug:body_slug>/meetings/new/",
        officer.meeting_new,
        name="meeting_new_of_body",
    ),
    path("meetings/", views.meetings, name="meetings"),
    # Before meetings/<key>/: "new" is the form's address, not a meeting's key.
    path("meetings/new/", officer.meeting_new, name="meeting_new"),
    path("meetings/<slug:key>/", views.meeting, name="meeting"),
    path("meetings/<slug:key>/reschedule/", officer.meeting_reschedule, name="meeting_reschedule"),
    path("meetings/<slug:key>/cancel/", officer.meeting_cancel, name="meeting_cancel"),
    path("meetings/<slug:key>/held/", officer.meeting_held, name="meeting_held"),
    path(
        "meetings/<slug:key>/participants/",
        officer.meeting_participants,
        name="meeting_participants",
    ),
    path(
        "meetings/<slug:key>/outcomes/new/",
        officer.meeting_outcome_new,
        name="meeting_outcome_new",
    ),
]
