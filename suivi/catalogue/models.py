"""The programme's catalogue: programme, decisions, axes and measures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from suivi.sources.models import RecordedChange
from suivi.sources.precision import DatePrecision


class ProgrammeQuerySet(models.QuerySet):
    def public(self) -> ProgrammeQuerySet:
        """What the public may see: published programmes."""
        return self.filter(is_published=True)


class ProgrammeScopedQuerySet(models.QuerySet):
    """Axes and decisions: public when their programme is."""

    def public(self):
        return self.filter(programme__is_published=True)


class MeasureQuerySet(models.QuerySet):
    def public(self) -> MeasureQuerySet:
        """Published measures of published programmes."""
        return self.filter(is_published=True, programme__is_published=True)


class Programme(models.Model):
    slug = models.SlugField(_("identifiant"), max_length=50, unique=True)
    name = models.CharField(_("nom"), max_length=300)
    short_name = models.CharField(_("nom court"), max_length=50, blank=True)
    description = models.TextField(_("présentation"), blank=True)
    url = models.URLField(_("site"), blank=True)
    is_published = models.BooleanField(_("publié"), default=True)

    objects = ProgrammeQuerySet.as_manager()
    history = HistoricalRecords(bases=[RecordedChange])

    class Meta:
        verbose_name = _("programme")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class Decision(models.Model):
    """A meeting or act that decided measures, e.g. "CIEC #2, 26 October 2015, Les Mureaux"."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="decisions")
    number = models.PositiveSmallIntegerField(_("numéro"))
    name = models.CharField(_("nom"), max_length=200)
    date = models.DateField(_("date"))
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.ForeignKey(
        "sources.SourceLocator", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ProgrammeScopedQuerySet.as_manager()
    history = HistoricalRecords(bases=[RecordedChange])

    class Meta:
        verbose_name = _("décision")
        ordering = ["programme", "number"]
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="decision_number_unique")]

    def __str__(self) -> str:
        return self.name


class Axis(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="axes")
    slug = models.SlugField(_("identifiant"), max_length=100)
    position = models.PositiveSmallIntegerField(_("rang"))
    name = models.CharField(_("nom"), max_length=300)
    description = models.TextField(_("présentation"), blank=True)
    source = models.ForeignKey(
        "sources.SourceLocator", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ProgrammeScopedQuerySet.as_manager()
    history = HistoricalRecords(bases=[RecordedChange])

    class Meta:
        verbose_name = _("axe")
        ordering = ["programme", "position"]
        constraints = [models.UniqueConstraint(fields=["programme", "slug"], name="axis_slug_unique")]

    def __str__(self) -> str:
        return self.name


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("prévue")
    IN_PROGRESS = "in_progress", _("en cours")
    DONE = "done", _("réalisée")
    ABANDONED = "abandoned", _("abandonnée")


class Measure(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="measures")
    axis = models.ForeignKey(Axis, on_delete=models.PROTECT, related_name="measures")
    slug = models.SlugField(_("identifiant"), max_length=120)
    position = models.PositiveSmallIntegerField(_("rang"))
    title = models.CharField(_("titre"), max_length=300)
    summary = models.TextField(_("résumé"), blank=True)
    body = models.TextField(_("texte"), blank=True)
    lead_ministry = models.CharField(_("ministère pilote"), max_length=200, blank=True)
    themes = models.JSONField(_("thèmes"), default=list, blank=True)
    decisions = models.ManyToManyField(Decision, related_name="measures", blank=True, verbose_name=_("décisions"))
    partners = models.ManyToManyField(
        "initiatives.Organisation", related_name="measures", blank=True, verbose_name=_("partenaires")
    )
    status = models.CharField(
        _("état d’avancement"), max_length=12, choices=MeasureStatus.choices, default=MeasureStatus.IN_PROGRESS
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.ForeignKey(
        "sources.SourceLocator", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_published = models.BooleanField(_("publiée"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = MeasureQuerySet.as_manager()
    history = HistoricalRecords(bases=[RecordedChange], m2m_fields=[decisions, partners])

    class Meta:
        verbose_name = _("mesure")
        ordering = ["programme", "position"]
        constraints = [models.UniqueConstraint(fields=["programme", "slug"], name="measure_slug_unique")]

    def __str__(self) -> str:
        return self.title


class MilestoneState(models.TextChoices):
    DONE = "done", _("réalisé")
    PLANNED = "planned", _("prévu")


class Milestone(models.Model):
    """A dated step in a measure's timeline: "Garantie jeunes généralisée le 1er janvier 2017"."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField(_("rang"), default=0)
    label = models.CharField(_("libellé"), max_length=300)
    date = models.DateField(_("date"))
    date_precision = models.CharField(max_length=7, choices=DatePrecision.choices, default=DatePrecision.DAY)
    state = models.CharField(_("état"), max_length=7, choices=MilestoneState.choices, default=MilestoneState.DONE)
    source = models.ForeignKey(
        "sources.SourceLocator", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(bases=[RecordedChange])

    class Meta:
        verbose_name = _("jalon")
        ordering = ["measure", "position"]

    def __str__(self) -> str:
        return self.label
