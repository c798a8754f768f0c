from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "suivi.sources"
    verbose_name = "Sources"
