from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "secretariat.notices"
    verbose_name = "notices"

    def ready(self):
        # ready: connects the acts to their announcements, once the models are loaded
        from . import receivers  # noqa: F401
