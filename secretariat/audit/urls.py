from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [path("<str:label>/<int:pk>/", views.record_history, name="record-history")]
