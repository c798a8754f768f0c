from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "suivi.publication"
    verbose_name = "Publication"
