from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "suivi.reports"
    verbose_name = "Rapports"

    def ready(self) -> None:
        from suivi.reports import receivers  # noqa: F401  (the cache is dropped when data changes)
