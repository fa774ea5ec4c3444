from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "secretariat.initiatives"
    label = "initiatives"
    verbose_name = "Initiatives, institutions and external relations"
