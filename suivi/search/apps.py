from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "suivi.search"
    verbose_name = "Recherche"

    def ready(self) -> None:
        from suivi.search import receivers  # noqa: F401  (connects the signals)
