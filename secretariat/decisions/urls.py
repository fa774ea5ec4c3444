"""decisions pages: consensus procedures and the positions states take."""

from django.urls import path

from . import views

app_name = "decisions"
urlpatterns = [
    path("procedures/", views.procedures_page, name="procedures"),
    path("procedures/<int:procedure_id>/", views.procedure_page, name="procedure"),
]
