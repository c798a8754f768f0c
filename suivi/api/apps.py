from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "suivi.api"
    verbose_name = "API"
