"""Indicators, their targets, and the values observed for territories."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from suivi.contributions.workflow import Status
from suivi.sources.models import RecordedChange
from suivi.sources.precision import DatePrecision, Qualifier


class Direction(models.TextChoices):
    INCREASE = "increase", _("plus est mieux")
    DECREASE = "decrease", _("moins est mieux")


class Aggregation(models.TextChoices):
    """How values of child territories combine into their parent's."""

    SUM = "sum", _("somme")
    MEAN = "mean", _("moyenne")
    NONE = "none", _("non agrégeable")


class IndicatorQuerySet(models.QuerySet["Indicator"]):
    def public(self) -> IndicatorQuerySet:
        """Indicators of public measures."""
        return self.filter(measure__is_published=True, measure__programme__is_published=True)


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
    cumulative = models.BooleanField(
        _("cumul depuis le début du programme"),
        default=False,
        help_text=_("Compte des choses nouvelles (« 19 nouveaux orchestres ») : la valeur initiale est zéro."),
    )
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
    target_increment = models.DecimalField(
        _("cible en hausse"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("S’ajoute à la valeur initiale : 2 pour « 2 nouveaux centres »."),
    )
    target_deadline = models.DateField(_("échéance"), null=True, blank=True)
    target_precision = models.CharField(max_length=7, choices=DatePrecision.choices, default=DatePrecision.DAY)
    target_sentence = models.CharField(_("objectif, tel que lu par le public"), max_length=300, blank=True)
    target_source = models.ForeignKey(
        "sources.SourceLocator", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = IndicatorQuerySet.as_manager()
    history = HistoricalRecords(bases=[RecordedChange])

    class Meta:
        verbose_name = _("indicateur")
        ordering = ["measure", "position", "slug"]
        constraints = [models.UniqueConstraint(fields=["measure", "slug"], name="indicator_slug_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def has_target(self) -> bool:
        return any(v is not None for v in (self.target_value, self.target_factor, self.target_increment))


class ObservationQuerySet(models.QuerySet["Observation"]):
    def public(self) -> ObservationQuerySet:
        """What the public may see: published values of public indicators, never a draft or a withdrawn one."""
        return self.filter(
            status=Status.PUBLISHED,
            indicator__measure__is_published=True,
            indicator__measure__programme__is_published=True,
        )

    def for_territory(self, territory) -> ObservationQuerySet:
        return self.filter(territory=territory)


class Observation(models.Model):
    """One value of an indicator for a territory at a date."""

    # No index of their own: the unique (indicator, territory, date) and the (territory, indicator,
    # date) index begin with them. Every index is one more write per imported value.
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="observations", db_index=False)
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.PROTECT, related_name="observations", db_index=False
    )
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
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    source = models.ForeignKey(
        "sources.SourceLocator", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_line = models.PositiveIntegerField(
        _("ligne dans la source"),
        null=True,
        blank=True,
        help_text=_("Pour une valeur importée d’un fichier : la ligne du fichier où elle se trouve."),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    comment = models.TextField(_("commentaire"), blank=True)

    objects = ObservationQuerySet.as_manager()
    # History is read by value (id), change set, date and territory; never by author or source.
    history = HistoricalRecords(bases=[RecordedChange], no_db_index=["entered_by", "source"])

    class Meta:
        verbose_name = _("valeur")
        ordering = ["indicator", "territory", "date"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "territory", "date"], name="observation_unique_per_date")
        ]
        indexes = [models.Index(fields=["territory", "indicator", "-date"])]

    def __str__(self) -> str:
        return f"{self.indicator} — {self.territory_id} — {self.date}: {self.value}"


class RollupMethod(models.TextChoices):
    SUM = "sum", _("somme")
    POPULATION = "population", _("moyenne pondérée par la population")


class ComputedValue(models.Model):
    """A value computed from the territory's children (``indicators.rollups``), kept beside the
    reported ones: derived data, recomputed whenever the values below change, never edited."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="computed_values")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    date_precision = models.CharField(max_length=7, choices=DatePrecision.choices, default=DatePrecision.DAY)
    value = models.DecimalField(_("valeur calculée"), max_digits=24, decimal_places=4)
    method = models.CharField(_("méthode"), max_length=10, choices=RollupMethod.choices)
    children = models.PositiveIntegerField(_("territoires comptés"))
    children_expected = models.PositiveIntegerField(_("territoires attendus"), default=0)

    class Meta:
        verbose_name = _("valeur calculée")
        verbose_name_plural = _("valeurs calculées")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "territory", "date"], name="computed_unique_per_date")
        ]
        indexes = [models.Index(fields=["territory", "indicator", "-date"], name="computed_by_territory")]

    def __str__(self) -> str:
        return f"{self.indicator_id} — {self.territory_id} — {self.date}: {self.value} ({self.method})"

    @property
    def complete(self) -> bool:
        return self.children_expected and self.children >= self.children_expected


class TerritorialTarget(models.Model):
    """An indicator's initial value and target for one territory, when a source states them (the
    Baromètre's synthesis files give each département and région its own). A territory page
    measures that territory's progress against it; without one, it shows the values alone."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="territorial_targets")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    baseline_value = models.DecimalField(_("valeur initiale"), max_digits=20, decimal_places=4, null=True, blank=True)
    baseline_date = models.DateField(_("date de la valeur initiale"), null=True, blank=True)
    baseline_precision = models.CharField(max_length=7, choices=DatePrecision.choices, default=DatePrecision.DAY)
    target_value = models.DecimalField(_("cible"), max_digits=20, decimal_places=4, null=True, blank=True)
    target_deadline = models.DateField(_("échéance"), null=True, blank=True)
    target_precision = models.CharField(max_length=7, choices=DatePrecision.choices, default=DatePrecision.DAY)
    source = models.ForeignKey(
        "sources.SourceLocator", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_line = models.PositiveIntegerField(_("ligne du fichier source"), null=True, blank=True)

    history = HistoricalRecords(bases=[RecordedChange])

    class Meta:
        verbose_name = _("objectif territorial")
        verbose_name_plural = _("objectifs territoriaux")
        constraints = [models.UniqueConstraint(fields=["indicator", "territory"], name="territorial_target_unique")]

    def __str__(self) -> str:
        return f"{self.indicator_id} — {self.territory_id}: {self.baseline_value} → {self.target_value}"

    @property
    def has_target(self) -> bool:
        return self.target_value is not None
