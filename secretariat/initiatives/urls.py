"""initiatives pages: the board by stage, an initiative, external relations."""

from django.urls import path

from . import views

app_name = "initiatives"
urlpatterns = [
    path("initiatives/", views.board, name="board"),
    path("initiatives/<slug:slug>/", views.detail, name="detail"),
    path("relations/", views.relations, name="relations"),
]
