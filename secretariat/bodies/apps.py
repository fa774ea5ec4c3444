from django.apps import AppConfig


class BodiesConfig(AppConfig):
    name = "secretariat.bodies"
    label = "bodies"
    verbose_name = "Bodies, institutions and meetings"

    def ready(self):
        from . import readmodels  # ready: its models are loaded now

        readmodels.connect()
