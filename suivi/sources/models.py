"""Where every figure comes from: a document, and a place inside it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from suivi.sources.precision import DatePrecision


class SourceDocument(models.Model):
    slug = models.SlugField(_("identifiant"), max_length=100, unique=True)
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

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document source")
        verbose_name_plural = _("documents sources")

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

    history = HistoricalRecords()

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
