from django.apps import AppConfig


class FiguresConfig(AppConfig):
    name = "secretariat.figures"
    label = "figures"
    verbose_name = "Figures reported by sources, beside the computed ones"
