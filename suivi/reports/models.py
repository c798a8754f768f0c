"""Generated reports, kept as files until the data of their programme changes.

``DataVersion`` counts the recorded changes of each programme (bumped by the write path's
``data_changed`` hook, inside the same transaction); a ``ReportFile`` remembers the version
it was made from, so a download is served from the file while the version is the same and
made again once it has moved on.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    programme_slug = models.SlugField(max_length=50, unique=True)
    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("version des données d’un programme")

    def __str__(self) -> str:
        return f"{self.programme_slug} v{self.version}"

    @classmethod
    def bump(cls, slugs) -> None:
        for slug in slugs:
            if not cls.objects.filter(programme_slug=slug).update(version=F("version") + 1):
                cls.objects.get_or_create(programme_slug=slug, defaults={"version": 1})

    @classmethod
    def of(cls, slug: str) -> int:
        return cls.objects.filter(programme_slug=slug).values_list("version", flat=True).first() or 0


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    HTML = "html", "HTML"


class ReportState(models.TextChoices):
    QUEUED = "queued", _("en attente")
    RUNNING = "running", _("en préparation")
    DONE = "done", _("prêt")
    FAILED = "failed", _("échec")


class ReportFile(models.Model):
    """One report of one scope, in one format, made from one version of the programme's data."""

    programme_slug = models.SlugField(max_length=50)
    axis_slug = models.SlugField(max_length=100, blank=True)
    measure_slug = models.SlugField(max_length=120, blank=True)
    territory_code = models.CharField(max_length=20, blank=True)
    format = models.CharField(max_length=4, choices=ReportFormat.choices)
    data_version = models.PositiveBigIntegerField()
    state = models.CharField(_("état"), max_length=7, choices=ReportState.choices, default=ReportState.QUEUED)
    progress = models.PositiveSmallIntegerField(_("avancement (%)"), default=0)
    step = models.CharField(_("étape"), max_length=200, blank=True)
    error = models.TextField(_("erreur"), blank=True)
    path = models.CharField(_("fichier"), max_length=300, blank=True, help_text=_("Relatif à MEDIA_ROOT."))
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rapport généré")
        verbose_name_plural = _("rapports générés")
        constraints = [
            models.UniqueConstraint(
                fields=["programme_slug", "axis_slug", "measure_slug", "territory_code", "format", "data_version"],
                name="report_file_unique_per_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_name} (v{self.data_version}, {self.state})"

    @property
    def scope(self) -> dict[str, str]:
        return {
            key: value
            for key, value in (
                ("axis", self.axis_slug),
                ("measure", self.measure_slug),
                ("territory", self.territory_code),
            )
            if value
        }

    @property
    def file_name(self) -> str:
        """``rapport-ciec-dep-36.pdf``: what the browser saves it as."""
        parts = [
            "rapport",
            self.programme_slug,
            self.axis_slug,
            self.measure_slug,
            self.territory_code.replace(":", "-"),
        ]
        return "-".join(p for p in parts if p) + f".{self.format}"
