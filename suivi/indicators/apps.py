from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "suivi.indicators"
    verbose_name = "Indicateurs"

    def ready(self) -> None:
        from suivi.indicators import receivers  # noqa: F401  (roll-ups follow every change)
