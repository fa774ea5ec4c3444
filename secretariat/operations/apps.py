from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "secretariat.operations"
    label = "operations"
    verbose_name = "Operations: logs, health, error reporting"

    def ready(self):
        from . import errors

        errors.start_reporting()
