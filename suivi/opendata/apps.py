from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "suivi.opendata"
    verbose_name = "Données ouvertes"
