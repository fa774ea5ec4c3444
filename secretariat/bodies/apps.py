from django.apps import AppConfig


class BodiesConfig(AppConfig):
    name = "secretariat.bodies"
    label = "bodies"
    verbose_name = "Bodies, institutions and meetings"
