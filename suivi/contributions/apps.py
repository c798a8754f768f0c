from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "suivi.contributions"
    verbose_name = "Contributions"

    def ready(self) -> None:
        from suivi.contributions import recording  # noqa: F401  (stamps every historical row)
