"""decisions pages: consensus procedures and the positions states take."""

from django.urls import path

from . import officer_views, views

app_name = "decisions"
urlpatterns = [
    path("procedures/", views.procedures_page, name="procedures"),
    path("procedures/<int:procedure_id>/", views.procedure_page, name="procedure"),
    # The officers' forms (officer_views).
    path("procedures/new/", officer_views.procedure_pick, name="procedure-new"),
    path(
        "documents/<str:key>/procedures/new/",
        officer_views.procedure_open,
        name="procedure-open",
    ),
    path(
        "procedures/<int:procedure_id>/edit/",
        officer_views.procedure_edit,
        name="procedure-edit",
    ),
    path(
        "procedures/<int:procedure_id>/decide/",
        officer_views.procedure_decide,
        name="procedure-decide",
    ),
]
