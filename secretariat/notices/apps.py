from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "secretariat.notices"
    verbose_name = "notices"
