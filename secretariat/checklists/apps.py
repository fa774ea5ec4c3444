from django.apps import AppConfig


class ChecklistsConfig(AppConfig):
    name = "secretariat.checklists"
    label = "checklists"
    verbose_name = "Next-step checklists"
