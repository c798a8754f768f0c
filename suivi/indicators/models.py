"""Indicators, their targets, and the values observed for territories."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from suivi.sources.precision import DatePrecision, Qualifier


class Direction(models.TextChoices):
    INCREASE = "increase", _("plus est mieux")
    DECREASE = "decrease", _("moins est mieux")


class Aggregation(models.TextChoices):
    """How values of child territories combine into their parent's."""

    SUM = "sum", _("somme")
    MEAN = "mean", _("moyenne")
    NONE = "none", _("non agrégeable")


class Indicator(models.Model):
    measure = models.ForeignKey("catalogue.Measure", on_delete=models.PROTECT, related_name="indicators")
    slug = models.SlugField(_("identifiant"), max_length=120)
    position = models.PositiveSmallIntegerField(_("rang"), default=0)
    name = models.CharField(_("nom"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unité"), max_length=50, help_text=_("Ex. : « jeunes », « € », « % »."))
    direction = models.CharField(_("sens"), max_length=8, choices=Direction.choices, default=Direction.INCREASE)
    aggregation = models.CharField(
        _("agrégation territoriale"), max_length=4, choices=Aggregation.choices, default=Aggregation.SUM
    )
    weight = models.DecimalField(_("poids"), max_digits=6, decimal_places=3, default=1)
    is_headline = models.BooleanField(_("chiffre clé"), default=False, help_text=_("Montré en page d’accueil."))
    update_cadence_months = models.PositiveSmallIntegerField(_("fréquence de mise à jour (mois)"), default=12)
    geo_levels = models.JSONField(_("niveaux géographiques"), default=list, blank=True)
    method = models.TextField(_("méthode de calcul"), blank=True)
    baseline_value = models.DecimalField(_("valeur initiale"), max_digits=20, decimal_places=4, null=True, blank=True)
    baseline_date = models.DateField(_("date de la valeur initiale"), null=True, blank=True)
    baseline_precision = models.CharField(max_length=7, choices=DatePrecision.choices, default=DatePrecision.DAY)
    baseline_source = models.ForeignKey(
        "sources.SourceLocator", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target_value = models.DecimalField(_("cible"), max_digits=20, decimal_places=4, null=True, blank=True)
    target_factor = models.DecimalField(
        _("cible relative"),
        max_digits=8,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Multiplie la valeur initiale : 0,5 pour « diviser par 2 »."),
    )
    target_deadline = models.DateField(_("échéance"), null=True, blank=True)
    target_precision = models.CharField(max_length=7, choices=DatePrecision.choices, default=DatePrecision.DAY)
    target_sentence = models.CharField(_("objectif, tel que lu par le public"), max_length=300, blank=True)
    target_source = models.ForeignKey(
        "sources.SourceLocator", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicateur")
        ordering = ["measure", "position", "slug"]
        constraints = [models.UniqueConstraint(fields=["measure", "slug"], name="indicator_slug_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def has_target(self) -> bool:
        return self.target_value is not None or self.target_factor is not None


class ObservationStatus(models.TextChoices):
    PROVISIONAL = "provisional", _("provisoire")
    VALIDATED = "validated", _("validée")


class ObservationQuerySet(models.QuerySet["Observation"]):
    def validated(self) -> ObservationQuerySet:
        return self.filter(status=ObservationStatus.VALIDATED)

    def for_territory(self, territory) -> ObservationQuerySet:
        return self.filter(territory=territory)


class Observation(models.Model):
    """One value of an indicator for a territory at a date."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="observations")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="observations")
    date = models.DateField(
        _("date"), help_text=_("Premier jour de la période que la date désigne (voir la précision).")
    )
    date_precision = models.CharField(max_length=7, choices=DatePrecision.choices, default=DatePrecision.DAY)
    period_start = models.DateField(
        _("début de période"), null=True, blank=True, help_text=_("Pour un cumul : « depuis trois ans ».")
    )
    period_start_precision = models.CharField(max_length=7, choices=DatePrecision.choices, default=DatePrecision.DAY)
    value = models.DecimalField(_("valeur"), max_digits=20, decimal_places=4)
    qualifier = models.CharField(_("qualificatif"), max_length=9, choices=Qualifier.choices, default=Qualifier.EXACT)
    status = models.CharField(
        _("statut"), max_length=11, choices=ObservationStatus.choices, default=ObservationStatus.PROVISIONAL
    )
    source = models.ForeignKey(
        "sources.SourceLocator", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    comment = models.TextField(_("commentaire"), blank=True)

    objects = ObservationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("valeur")
        ordering = ["indicator", "territory", "date"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "territory", "date"], name="observation_unique_per_date")
        ]
        indexes = [models.Index(fields=["territory", "indicator", "-date"])]

    def __str__(self) -> str:
        return f"{self.indicator} — {self.territory_id} — {self.date}: {self.value}"
