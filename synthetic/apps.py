from django.apps import AppConfig


class SyntheticConfig(AppConfig):
    name = "synthetic"
    label = "synthetic"
    verbose_name = "Synthetic organization: made-up records for load and scale testing"
