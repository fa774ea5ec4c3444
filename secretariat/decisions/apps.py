from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "secretariat.decisions"
    label = "decisions"
    verbose_name = "Decisions: consensus and silence procedures"
