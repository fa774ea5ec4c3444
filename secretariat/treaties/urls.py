"""treaties pages: the list and each treaty's status table; the officers' form that
records a state's action."""

from django.urls import path

from . import officer_views, views

app_name = "treaties"
urlpatterns = [
    path("treaties/", views.treaties_page, name="list"),
    path("treaties/<str:key>/", views.treaty_page, name="detail"),
    path("treaties/<str:key>/actions/new/", officer_views.action_new, name="action_new"),
]
