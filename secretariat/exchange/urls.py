"""Feeds and downloads outside the API (a calendar to subscribe to, table downloads)."""

urlpatterns: list = []
