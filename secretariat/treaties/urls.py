"""treaties pages: the list and each treaty's status table."""

from django.urls import path

from . import views

app_name = "treaties"
urlpatterns = [
    path("treaties/", views.treaties_page, name="list"),
    path("treaties/<str:key>/", views.treaty_page, name="detail"),
]
