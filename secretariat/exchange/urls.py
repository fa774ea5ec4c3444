"""Feeds and downloads outside the API (a calendar to subscribe to, table downloads)."""

from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("calendar.ics", views.calendar, name="calendar"),
    path("exports/", views.index, name="index"),
    # Before <table>.xlsx, which would otherwise take "tables" for a table's name.
    path("exports/tables.zip", views.tables_zip, name="tables-zip"),
    path("exports/tables.xlsx", views.tables_xlsx, name="tables-xlsx"),
    path("exports/<slug:table>.csv", views.table_csv, name="table-csv"),
    path("exports/<slug:table>.xlsx", views.table_xlsx, name="table-xlsx"),
]
