"""France's official geography (INSEE COG), as reference data.

Territories are loaded from ``@etalab/decoupage-administratif`` by
``manage.py load_territories`` and never edited by hand. Each one is keyed by a
typed code (``fr``, ``reg:52``, ``dep:36``, ``com:36044``, ``epci:200071082``…), the
same in URLs, the API and exports; see ``docs/adr/0002-territory-keys.md``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from suivi.territories.folding import fold


class Level(models.TextChoices):
    COUNTRY = "fr", _("pays")
    REGION = "reg", _("région")
    DEPARTEMENT = "dep", _("département")
    OVERSEAS_COLLECTIVITY = "ctom", _("collectivité d’outre-mer")
    EPCI = "epci", _("intercommunalité (EPCI)")
    COMMUNE = "com", _("commune")
    DELEGATED_COMMUNE = "comd", _("commune déléguée")
    ASSOCIATED_COMMUNE = "coma", _("commune associée")
    MUNICIPAL_ARRONDISSEMENT = "arm", _("arrondissement municipal")


# Larger territories first when several match a search.
LEVEL_RANK = {
    Level.COUNTRY: 0,
    Level.REGION: 1,
    Level.OVERSEAS_COLLECTIVITY: 2,
    Level.DEPARTEMENT: 3,
    Level.EPCI: 4,
    Level.COMMUNE: 5,
    Level.MUNICIPAL_ARRONDISSEMENT: 6,
    Level.DELEGATED_COMMUNE: 7,
    Level.ASSOCIATED_COMMUNE: 8,
}

COUNTRY_CODE = "fr"
COMMUNE_LIKE_LEVELS = (
    Level.COMMUNE,
    Level.DELEGATED_COMMUNE,
    Level.ASSOCIATED_COMMUNE,
    Level.MUNICIPAL_ARRONDISSEMENT,
)


def make_code(level: str, insee_code: str) -> str:
    """The typed key of a territory: ``make_code("dep", "36") == "dep:36"``."""
    return COUNTRY_CODE if level == Level.COUNTRY else f"{level}:{insee_code}"


class TerritoryQuerySet(models.QuerySet["Territory"]):
    def search(self, query: str) -> TerritoryQuerySet:
        """Territories whose name contains every word of ``query``, accents and case folded.

        Ranked: exact name first, then names starting with the query, then larger
        territories and more populated ones.
        """
        folded = fold(query)
        if not folded:
            return self.none()
        condition = Q()
        for word in folded.split():
            condition &= Q(name_folded__contains=word)
        return (
            self.filter(condition)
            .annotate(
                match_rank=Case(
                    When(name_folded=folded, then=Value(0)),
                    When(name_folded__startswith=folded, then=Value(1)),
                    default=Value(2),
                    output_field=IntegerField(),
                ),
                level_rank=Case(
                    *[When(level=level, then=Value(rank)) for level, rank in LEVEL_RANK.items()],
                    output_field=IntegerField(),
                ),
            )
            .select_related("departement")
            .order_by("match_rank", "level_rank", "-population", "name_folded", "code")
        )

    def within(self, ancestor: Territory) -> TerritoryQuerySet:
        """Territories below ``ancestor`` (not including it)."""
        if ancestor.level == Level.COUNTRY:
            return self.exclude(level=Level.COUNTRY)
        if ancestor.level == Level.REGION:
            return self.filter(region=ancestor).exclude(pk=ancestor.pk)
        if ancestor.level in (Level.DEPARTEMENT, Level.OVERSEAS_COLLECTIVITY):
            return self.filter(departement=ancestor).exclude(pk=ancestor.pk)
        if ancestor.level == Level.EPCI:
            members = ancestor.members.all()
            return self.filter(Q(pk__in=members) | Q(parent__in=members))
        return self.filter(parent=ancestor)


class Territory(models.Model):
    code = models.CharField(_("code"), max_length=20, primary_key=True)
    level = models.CharField(_("niveau"), max_length=6, choices=Level.choices, db_index=True)
    insee_code = models.CharField(_("code INSEE"), max_length=9, db_index=True)
    name = models.CharField(_("nom"), max_length=200)
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    # Ancestors kept explicit so that "all départements of a région" or "all communes
    # of a département" is one indexed filter, not a walk up the tree.
    departement = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("département")
    )
    region = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("région")
    )
    members = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="epcis", verbose_name=_("communes membres")
    )
    zone = models.CharField(_("zone"), max_length=5, blank=True, help_text="metro, drom or com")
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    postal_codes = models.JSONField(_("codes postaux"), default=list, blank=True)
    epci_kind = models.CharField(_("type d’EPCI"), max_length=5, blank=True)
    current = models.BooleanField(
        _("en vigueur"), default=True, help_text=_("Faux pour un territoire retiré du COG : gardé, jamais supprimé.")
    )

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "name_folded"])]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs) -> None:
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        """The name as a list shows it, with the département of a commune to tell homonyms apart."""
        if self.level in COMMUNE_LIKE_LEVELS and self.departement_id:
            return f"{self.name} ({self.departement_id.split(':', 1)[1]})"
        return self.name

    @property
    def slug(self) -> str:
        """The key as it appears in page URLs: ``dep:36`` → ``dep-36``."""
        return self.code.replace(":", "-")

    @staticmethod
    def code_from_slug(slug: str) -> str:
        """The inverse of ``slug``: ``dep-36`` → ``dep:36`` (level names hold no hyphen)."""
        return slug.replace("-", ":", 1)

    def ancestors(self) -> list[Territory]:
        """From the parent up to France."""
        chain: list[Territory] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class TerritoryRelease(models.Model):
    """Which release of the COG package the territories were last loaded from."""

    package = models.CharField(max_length=100)
    version = models.CharField(max_length=40)
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the data files, in name order")
    loaded_at = models.DateTimeField(auto_now=True)
    counts = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("version du COG chargée")

    def __str__(self) -> str:
        return f"{self.package}@{self.version}"
