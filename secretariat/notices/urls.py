from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:delivery_id>/", views.delivery, name="delivery"),
    path("read/", views.read_all, name="read-all"),
    path("preferences/", views.preferences, name="preferences"),
    path("follow/<slug:body_slug>/", views.follow, name="follow"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("archive/", views.archive, name="archive"),
]
