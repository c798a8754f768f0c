from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "suivi.imports"
    verbose_name = "Imports"
