from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "secretariat.search"
    label = "search"
    verbose_name = "Full-text search"
