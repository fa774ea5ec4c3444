from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "secretariat.notices"
    verbose_name = "notices"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the acts to their announcements)
