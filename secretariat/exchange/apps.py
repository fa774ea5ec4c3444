from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "secretariat.exchange"
    label = "exchange"
    verbose_name = "Open formats: exports and imports"
