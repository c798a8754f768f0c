"""Local initiatives, the organisations behind them, their conventions and money."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from suivi.contributions.workflow import Status
from suivi.sources.models import RecordedChange
from suivi.sources.precision import DatePrecision, Qualifier
from suivi.territories.models import Level


class OrganisationKind(models.TextChoices):
    STATE = "state", _("État (ministère, service)")
    AGENCY = "agency", _("opérateur ou agence de l’État")
    LOCAL_AUTHORITY = "local", _("collectivité territoriale")
    ASSOCIATION = "association", _("association ou fondation")
    COMPANY = "company", _("entreprise")
    PUBLIC_BODY = "public", _("établissement public")
    OTHER = "other", _("autre")


class Organisation(models.Model):
    slug = models.SlugField(_("identifiant"), max_length=120, unique=True)
    name = models.CharField(_("nom"), max_length=300)
    acronym = models.CharField(_("sigle"), max_length=30, blank=True)
    kind = models.CharField(_("type"), max_length=11, choices=OrganisationKind.choices, default=OrganisationKind.OTHER)
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.PROTECT, null=True, blank=True, related_name="organisations"
    )
    url = models.URLField(_("site"), blank=True)

    history = HistoricalRecords(bases=[RecordedChange])

    class Meta:
        verbose_name = _("organisation")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class InitiativeQuerySet(models.QuerySet):
    def public(self) -> InitiativeQuerySet:
        """What the public may see: published initiatives of published programmes."""
        return self.filter(status=Status.PUBLISHED, programme__is_published=True)

    def in_territory(self, territory) -> InitiativeQuerySet:
        """Initiatives placed in ``territory`` or anywhere below it."""
        if territory.level == Level.COUNTRY:
            return self.all()
        here = models.Q(territories=territory)
        if territory.level == Level.REGION:
            below = models.Q(territories__region=territory)
        elif territory.level in (Level.DEPARTEMENT, Level.OVERSEAS_COLLECTIVITY):
            below = models.Q(territories__departement=territory)
        elif territory.level == Level.EPCI:
            below = models.Q(territories__in=territory.members.all()) | models.Q(
                territories__parent__in=territory.members.all()
            )
        else:
            below = models.Q(territories__parent=territory)
        return self.filter(here | below).distinct()


def departement_codes(initiative: Initiative) -> set[str]:
    """The INSEE codes of the départements an initiative is placed in (prefetch its territories).

    An initiative placed at a région or national level is in no single département.
    """
    codes = set()
    for territory in initiative.territories.all():
        if territory.level == Level.DEPARTEMENT:
            codes.add(territory.insee_code)
        elif territory.departement_id and territory.departement_id.startswith("dep:"):
            codes.add(territory.departement_id.split(":", 1)[1])
    return codes


class Initiative(models.Model):
    """A local example: "À Marseille, 35 classes ont été créées…"."""

    programme = models.ForeignKey("catalogue.Programme", on_delete=models.PROTECT, related_name="initiatives")
    slug = models.SlugField(_("identifiant"), max_length=120)
    title = models.CharField(_("titre"), max_length=300)
    body = models.TextField(_("texte"), blank=True)
    measures = models.ManyToManyField("catalogue.Measure", related_name="initiatives", verbose_name=_("mesures"))
    territories = models.ManyToManyField(
        "territories.Territory", related_name="initiatives", verbose_name=_("territoires")
    )
    partners = models.ManyToManyField(
        Organisation, related_name="initiatives", blank=True, verbose_name=_("partenaires")
    )
    start_date = models.DateField(_("début"), null=True, blank=True)
    start_precision = models.CharField(max_length=7, choices=DatePrecision.choices, default=DatePrecision.DAY)
    end_date = models.DateField(_("fin"), null=True, blank=True)
    end_precision = models.CharField(max_length=7, choices=DatePrecision.choices, default=DatePrecision.DAY)
    source = models.ForeignKey(
        "sources.SourceLocator", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = InitiativeQuerySet.as_manager()
    history = HistoricalRecords(bases=[RecordedChange], m2m_fields=[measures, territories, partners])

    class Meta:
        verbose_name = _("initiative locale")
        verbose_name_plural = _("initiatives locales")
        ordering = ["programme", "slug"]
        constraints = [models.UniqueConstraint(fields=["programme", "slug"], name="initiative_slug_unique")]

    def __str__(self) -> str:
        return self.title


class InitiativeFigure(models.Model):
    """A number an initiative states about itself: "35 classes", "120 enfants"."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="figures")
    position = models.PositiveSmallIntegerField(_("rang"), default=0)
    label = models.CharField(_("libellé"), max_length=300)
    value = models.DecimalField(_("valeur"), max_digits=20, decimal_places=4)
    unit = models.CharField(_("unité"), max_length=50)
    qualifier = models.CharField(_("qualificatif"), max_length=9, choices=Qualifier.choices, default=Qualifier.EXACT)
    date = models.DateField(_("date"), null=True, blank=True)
    date_precision = models.CharField(max_length=7, choices=DatePrecision.choices, default=DatePrecision.DAY)
    period_start = models.DateField(_("début de période"), null=True, blank=True)
    period_start_precision = models.CharField(max_length=7, choices=DatePrecision.choices, default=DatePrecision.DAY)
    source = models.ForeignKey(
        "sources.SourceLocator", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(bases=[RecordedChange])

    class Meta:
        verbose_name = _("chiffre d’une initiative")
        ordering = ["initiative", "position"]

    def __str__(self) -> str:
        return f"{self.label}: {self.value} {self.unit}"


class Convention(models.Model):
    """An agreement signed by organisations (a national convention, a local partnership)."""

    programme = models.ForeignKey("catalogue.Programme", on_delete=models.PROTECT, related_name="conventions")
    slug = models.SlugField(_("identifiant"), max_length=120)
    title = models.CharField(_("titre"), max_length=300)
    signed_on = models.DateField(_("date de signature"), null=True, blank=True)
    signed_precision = models.CharField(max_length=7, choices=DatePrecision.choices, default=DatePrecision.DAY)
    signatories = models.ManyToManyField(Organisation, related_name="conventions", verbose_name=_("signataires"))
    measure = models.ForeignKey(
        "catalogue.Measure", on_delete=models.PROTECT, null=True, blank=True, related_name="conventions"
    )
    initiative = models.ForeignKey(
        Initiative, on_delete=models.PROTECT, null=True, blank=True, related_name="conventions"
    )
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.PROTECT, null=True, blank=True, related_name="conventions"
    )
    source = models.ForeignKey(
        "sources.SourceLocator", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(bases=[RecordedChange], m2m_fields=[signatories])

    class Meta:
        verbose_name = _("convention")
        ordering = ["signed_on", "slug"]
        constraints = [models.UniqueConstraint(fields=["programme", "slug"], name="convention_slug_unique")]

    def __str__(self) -> str:
        return self.title


class FundingStage(models.TextChoices):
    ANNOUNCED = "announced", _("annoncé")
    COMMITTED = "committed", _("engagé")
    PAID = "paid", _("versé")


class FundingQuerySet(models.QuerySet):
    def public(self) -> FundingQuerySet:
        """Funding lines of public measures or of public initiatives."""
        return self.filter(
            models.Q(measure__is_published=True, measure__programme__is_published=True)
            | models.Q(initiative__status=Status.PUBLISHED, initiative__programme__is_published=True)
        )


class Funding(models.Model):
    """Money for a measure or an initiative: who gives it, how much, at which stage."""

    measure = models.ForeignKey(
        "catalogue.Measure", on_delete=models.PROTECT, null=True, blank=True, related_name="fundings"
    )
    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, null=True, blank=True, related_name="fundings")
    position = models.PositiveSmallIntegerField(_("rang"), default=0)
    key = models.SlugField(
        _("identifiant"), max_length=120, blank=True, help_text=_("Pour qu’une autre ligne le cite.")
    )
    part_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
        verbose_name=_("compris dans"),
        help_text=_("La ligne qui inclut celle-ci : ne pas les additionner."),
    )
    label = models.CharField(_("libellé"), max_length=300)
    amount = models.DecimalField(_("montant"), max_digits=16, decimal_places=2)
    currency = models.CharField(_("devise"), max_length=3, default="EUR")
    qualifier = models.CharField(_("qualificatif"), max_length=9, choices=Qualifier.choices, default=Qualifier.EXACT)
    funder = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fundings",
        verbose_name=_("financeur"),
    )
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.PROTECT, null=True, blank=True, related_name="fundings"
    )
    stage = models.CharField(_("étape"), max_length=9, choices=FundingStage.choices, default=FundingStage.ANNOUNCED)
    date = models.DateField(_("date"), null=True, blank=True)
    date_precision = models.CharField(max_length=7, choices=DatePrecision.choices, default=DatePrecision.DAY)
    period_start = models.DateField(_("début de période"), null=True, blank=True)
    period_start_precision = models.CharField(max_length=7, choices=DatePrecision.choices, default=DatePrecision.DAY)
    source = models.ForeignKey(
        "sources.SourceLocator", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = FundingQuerySet.as_manager()
    history = HistoricalRecords(bases=[RecordedChange])

    class Meta:
        verbose_name = _("financement")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(measure__isnull=False) | models.Q(initiative__isnull=False),
                name="funding_belongs_to_measure_or_initiative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.amount} {self.currency}"
