from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "suivi.publication"
    verbose_name = "Publication"

    def ready(self) -> None:
        from suivi.publication import receivers  # noqa: F401  (cached pages follow the data)
