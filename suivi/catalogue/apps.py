from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "suivi.catalogue"
    verbose_name = "Catalogue"
