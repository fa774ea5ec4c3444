"""programme pages: the Catalogue of CBMs, its priority areas, the Road Map."""

from django.urls import path

from . import views

app_name = "programme"
urlpatterns = [
    path("cbm/", views.catalogue, name="catalogue"),
    path("cbm/areas/<int:area_id>/", views.area, name="area"),
    path("roadmap/", views.roadmap, name="roadmap"),
]
