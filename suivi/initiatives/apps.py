from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "suivi.initiatives"
    verbose_name = "Initiatives locales"
