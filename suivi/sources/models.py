"""Where every figure comes from: a document, and a place inside it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from suivi.sources.precision import DatePrecision


class Origin(models.TextChoices):
    """Which door a change came through; every write path names its own."""

    PAGE = "page", _("espace contributeur")
    API = "api", _("API")
    IMPORT = "import", _("import de fichier")
    ADMIN = "admin", _("administration")
    LOADER = "loader", _("chargement d’un document de programme")
    SUGGESTION = "suggestion", _("suggestion du public")
    RESTORE = "restore", _("restauration d’une version")
    SYSTEM = "system", _("opération technique")


# Changes people made (as opposed to document loads and technical operations).
PEOPLE_ORIGINS = frozenset({Origin.PAGE, Origin.API, Origin.IMPORT, Origin.ADMIN, Origin.SUGGESTION, Origin.RESTORE})


class ChangeSet(models.Model):
    """One recorded change: who made it, through which door, when and why.

    Every historical row written inside ``suivi.contributions.recording.change`` points
    to its change set, so a page can say "changed by X through the API on …, because …",
    and the programme loader can tell a value it wrote itself from one people edited.
    """

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="change_sets"
    )
    origin = models.CharField(_("origine"), max_length=10, choices=Origin.choices)
    reason = models.CharField(_("motif"), max_length=500, blank=True)
    programme_slug = models.SlugField(_("programme"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("lot de modifications")
        verbose_name_plural = _("lots de modifications")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_origin_display()} — {self.created_at:%Y-%m-%d %H:%M}"


class RecordedChange(models.Model):
    """The base of every historical model: its row names the change set that wrote it."""

    change_set = models.ForeignKey(
        "sources.ChangeSet", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True


class SourceDocument(models.Model):
    programme = models.ForeignKey(
        "catalogue.Programme", on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    slug = models.SlugField(_("identifiant"), max_length=100)
    title = models.CharField(_("titre"), max_length=300)
    publisher = models.CharField(_("éditeur"), max_length=200, blank=True)
    published_on = models.DateField(_("date de publication"), null=True, blank=True)
    published_precision = models.CharField(
        _("précision de la date"), max_length=7, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    url = models.URLField(_("adresse"), blank=True)
    file_path = models.CharField(
        _("fichier"), max_length=300, blank=True, help_text=_("Chemin dans le dépôt, par rapport à sa racine.")
    )
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64, blank=True)
    media_type = models.CharField(_("type de média"), max_length=100, blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)

    history = HistoricalRecords(bases=[RecordedChange])

    class Meta:
        verbose_name = _("document source")
        verbose_name_plural = _("documents sources")
        constraints = [models.UniqueConstraint(fields=["programme", "slug"], name="document_slug_unique")]

    def __str__(self) -> str:
        return self.title


class SourceLocator(models.Model):
    """A place in a document: a line span (text files) or a page (PDF), and the words quoted."""

    document = models.ForeignKey(
        SourceDocument, on_delete=models.PROTECT, related_name="locators", verbose_name=_("document")
    )
    line_start = models.PositiveIntegerField(_("première ligne"), null=True, blank=True)
    line_end = models.PositiveIntegerField(_("dernière ligne"), null=True, blank=True)
    page = models.PositiveIntegerField(_("page"), null=True, blank=True)
    quote = models.TextField(_("citation"))

    history = HistoricalRecords(bases=[RecordedChange])

    class Meta:
        verbose_name = _("référence dans une source")
        verbose_name_plural = _("références dans les sources")
        ordering = ["document", "line_start", "page", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(line_start__isnull=True) | models.Q(line_end__gte=models.F("line_start")),
                name="locator_line_span_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} — {self.place}"

    @property
    def place(self) -> str:
        if self.line_start is not None:
            if self.line_end and self.line_end != self.line_start:
                return f"lignes {self.line_start} à {self.line_end}"
            return f"ligne {self.line_start}"
        if self.page is not None:
            return f"page {self.page}"
        return ""
