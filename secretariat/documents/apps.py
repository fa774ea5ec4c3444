from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "secretariat.documents"
    label = "documents"
    verbose_name = "Documents: registry, versions, lifecycle, circulation"

    def ready(self):
        from . import readmodels  # ready: its models are loaded now

        readmodels.connect()
