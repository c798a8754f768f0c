from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "suivi.indicators"
    verbose_name = "Indicateurs"
