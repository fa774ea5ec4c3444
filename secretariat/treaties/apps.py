from django.apps import AppConfig


class TreatiesConfig(AppConfig):
    name = "secretariat.treaties"
    label = "treaties"
    verbose_name = "Treaties: signatures, instruments and entry into force"
