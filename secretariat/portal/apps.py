from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "secretariat.portal"
    label = "portal"
    verbose_name = "Portal"
