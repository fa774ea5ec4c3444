from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "secretariat.programme"
    label = "programme"
    verbose_name = "CBMs and the road map"
