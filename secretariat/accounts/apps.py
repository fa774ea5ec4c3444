from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "secretariat.accounts"
    label = "accounts"
    verbose_name = "Accounts and access"
