from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "secretariat.jobs"
    verbose_name = "background jobs"

    def ready(self):
        from . import runs  # ready: the task engine's app is loaded now

        runs.connect()
