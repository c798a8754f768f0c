"""One row per thing the public can search: measures, initiatives, indicators, territories.

The text is folded (accents, case) once, here; each engine then uses its own
full-text index over ``folded``: an FTS5 table on SQLite, a GIN index on
``to_tsvector('simple', folded)`` on PostgreSQL (see the migration).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    MEASURE = "measure", _("Mesure")
    INITIATIVE = "initiative", _("Initiative locale")
    INDICATOR = "indicator", _("Indicateur")
    TERRITORY = "territory", _("Territoire")


KIND_ORDER = [Kind.MEASURE, Kind.INITIATIVE, Kind.INDICATOR, Kind.TERRITORY]


class SearchEntry(models.Model):
    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=140)
    programme = models.ForeignKey("catalogue.Programme", on_delete=models.CASCADE, null=True, related_name="+")
    title = models.CharField(max_length=400)
    title_folded = models.CharField(max_length=400)
    text = models.TextField(blank=True)
    folded = models.TextField(help_text="title and text, folded: what the full-text index reads")
    url = models.CharField(max_length=300)
    detail = models.CharField(max_length=300, blank=True, help_text="a short line under the title")
    # Filters, as delimited lists so that one LIKE '%|x|%' on the candidates answers them.
    axis = models.CharField(max_length=100, blank=True)
    decisions = models.CharField(max_length=50, blank=True)
    status = models.CharField(max_length=20, blank=True)
    places = models.TextField(blank=True)
    boost = models.BigIntegerField(default=0, help_text="ties broken by it, larger first (population)")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="search_entry_unique")]
        indexes = [models.Index(fields=["kind", "programme"])]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"
