from django.apps import AppConfig


class DatasetsConfig(AppConfig):
    name = "secretariat.datasets"
    label = "datasets"
    verbose_name = "Datasets: loading an organization's record from YAML"
