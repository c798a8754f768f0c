from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "suivi.ui"
    verbose_name = "Interface"
