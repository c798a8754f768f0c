from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExtractionConfig(AppConfig):
    name = "suivi.extraction"
    verbose_name = _("Lecture de rapports")
    default_auto_field = "django.db.models.BigAutoField"
