"""An import of values from files: its checking, its preview and its application.

Rows are first *staged* (parsed, resolved, checked) in ``StagedValue``, written with the
engine's bulk path; the checks that need the whole file (duplicates, conflicts) and the
comparison with what is stored run as set-based SQL over that table; applying the import
then writes values and their history with ``INSERT … SELECT`` in one recorded change.
Nothing is held whole in memory, whatever the size of the file.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from suivi.sources.precision import DatePrecision, Qualifier


class JobState(models.TextChoices):
    PENDING = "pending", _("en attente")
    CHECKING = "checking", _("vérification en cours")
    CHECKED = "checked", _("vérifié, prêt à importer")
    FAILED = "failed", _("refusé")
    APPLYING = "applying", _("import en cours")
    DONE = "done", _("importé")
    REVERTED = "reverted", _("annulé")


class ImportJob(models.Model):
    programme = models.ForeignKey("catalogue.Programme", on_delete=models.PROTECT, related_name="imports")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    files = models.JSONField(_("fichiers"), default=list, help_text="[{path, name, sha256, document}]")
    mapping = models.JSONField(_("correspondance des colonnes"), default=dict)
    mapping_name = models.CharField(max_length=200, blank=True)
    publish = models.BooleanField(_("publier directement"), default=False)
    state = models.CharField(_("état"), max_length=9, choices=JobState.choices, default=JobState.PENDING)
    bytes_total = models.BigIntegerField(default=0)
    bytes_read = models.BigIntegerField(default=0)
    rows_read = models.BigIntegerField(_("lignes lues"), default=0)
    counts = models.JSONField(_("bilan"), default=dict, help_text="new, changed, same")
    errors = models.JSONField(_("erreurs"), default=list, help_text="[{file, line, column, message}], the first ones")
    error_count = models.PositiveIntegerField(_("nombre d’erreurs"), default=0)
    change_set = models.ForeignKey(
        "sources.ChangeSet", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revert_change_set = models.ForeignKey(
        "sources.ChangeSet", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("import de valeurs")
        verbose_name_plural = _("imports de valeurs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        names = ", ".join(f["name"] for f in self.files[:3])
        return f"Import {self.pk} ({names})"

    @property
    def percent(self) -> int:
        if self.state in (JobState.CHECKED, JobState.DONE, JobState.REVERTED):
            return 100
        return int(self.bytes_read * 100 / self.bytes_total) if self.bytes_total else 0

    @property
    def running(self) -> bool:
        return self.state in (JobState.PENDING, JobState.CHECKING, JobState.APPLYING)


class Action(models.TextChoices):
    NEW = "new", _("nouvelle valeur")
    CHANGED = "changed", _("valeur modifiée")
    SAME = "same", _("inchangée")


class StagedValue(models.Model):
    """One checked row of an import, before it is applied (written in bulk, read by SQL)."""

    # A scratch row: no database constraint to check per staged row (PostgreSQL ran one trigger
    # for each at commit); Django still deletes a job's rows with it.
    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False)
    file_index = models.PositiveSmallIntegerField(default=0)
    line = models.PositiveIntegerField()
    indicator_id = models.BigIntegerField()
    territory_id = models.CharField(max_length=20)
    date = models.DateField()
    date_precision = models.CharField(max_length=7, choices=DatePrecision.choices)
    value = models.DecimalField(max_digits=20, decimal_places=4)
    qualifier = models.CharField(max_length=9, choices=Qualifier.choices)
    status = models.CharField(max_length=10)
    # Which source: below the number of files, that file (and ``line`` in it); above, a
    # document named in the source column (the job's list of sources says which).
    source_key = models.PositiveIntegerField(default=0)
    existing_id = models.BigIntegerField(null=True)
    action = models.CharField(max_length=7, choices=Action.choices, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["job", "indicator_id", "territory_id", "date"], name="staged_key"),
            models.Index(fields=["job", "action"], name="staged_action"),
        ]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.line} {self.indicator_id} {self.territory_id} {self.date} {self.value}"
