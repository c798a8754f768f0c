from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "suivi.territories"
    verbose_name = "Territoires"
