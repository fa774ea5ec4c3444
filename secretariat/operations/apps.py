from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "secretariat.operations"
    label = "operations"
    verbose_name = "Operations: logs, health, error reporting"

    def ready(self):
        from . import errors  # ready: settings and apps are loaded now

        errors.start_reporting()
