"""Drafts read from a report, item by item, waiting for a person to accept, edit or reject them.

A draft is never public and writes nothing by itself: an accepted item goes through the same
services as a form (a figure through ``save_value``, a target, an amount, a partner or a measure
through ``save_catalogue_object``, a place through ``save_initiative``: rights, workflow,
history), with the document as its source.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.utils.translation import gettext_lazy as _

from suivi.sources.precision import DatePrecision, Qualifier
from suivi.ui import formatting
from suivi.ui.formatting import partial_date


class DraftState(models.TextChoices):
    QUEUED = "queued", _("en attente")
    RUNNING = "running", _("lecture en cours")
    READY = "ready", _("à relire")
    FAILED = "failed", _("échec")


class Decision(models.TextChoices):
    PENDING = "pending", _("à relire")
    ACCEPTED = "accepted", _("acceptée")
    REJECTED = "rejected", _("rejetée")


KIND_LABELS = {
    "measure": _("mesure"),
    "quantity": _("chiffre"),
    "money": _("montant"),
    "target": _("objectif"),
    "date": _("date"),
    "place": _("lieu"),
    "organisation": _("organisation"),
}


class ExtractionDraft(models.Model):
    programme = models.ForeignKey("catalogue.Programme", on_delete=models.PROTECT, related_name="extractions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("fichier"), max_length=255)
    path = models.CharField(max_length=500, help_text="var/media/sources/<sha256><suffix>")
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    size = models.BigIntegerField(default=0)
    document_date = models.DateField(_("date du document"), null=True, blank=True)
    state = models.CharField(_("état"), max_length=8, choices=DraftState.choices, default=DraftState.QUEUED)
    step = models.CharField(_("étape"), max_length=40, blank=True)
    steps_done = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True)
    document = models.ForeignKey(
        "sources.SourceDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="The source the accepted items cite, made at the first acceptance.",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    STEPS = 8  # lecture, mesures, nombres, dates, objectifs, lieux, organisations, enregistrement

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("brouillon de lecture")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_state_display()})"

    @property
    def running(self) -> bool:
        return self.state in (DraftState.QUEUED, DraftState.RUNNING)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.steps_done / self.STEPS))


class DraftItem(models.Model):
    draft = models.ForeignKey(ExtractionDraft, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    kind = models.CharField(_("type"), max_length=12)
    data = models.JSONField(_("proposition"), default=dict)
    confidence = models.FloatField(_("confiance"))
    page = models.PositiveIntegerField(_("page"))
    line_start = models.PositiveIntegerField(_("première ligne"))
    line_end = models.PositiveIntegerField(_("dernière ligne"))
    quote = models.TextField(_("citation"))
    decision = models.CharField(_("décision"), max_length=8, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    observation = models.ForeignKey(
        "indicators.Observation", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="The value an accepted figure became.",
    )  # fmt: skip
    # What any other accepted item wrote or changed: an indicator (its target), a funding line, a
    # measure (created, or given a partner), an initiative.
    result_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    result_id = models.PositiveBigIntegerField(null=True, blank=True)
    result = GenericForeignKey("result_type", "result_id")

    class Meta:
        ordering = ["draft", "position"]
        constraints = [models.UniqueConstraint(fields=["draft", "position"], name="draft_item_position_unique")]

    def __str__(self) -> str:
        return f"{self.draft.name} n° {self.position + 1} ({self.kind})"

    @property
    def labels(self) -> dict:
        """The reading's codes (target mode, qualifier, dates) as the draft shows them, in French."""
        return _proposal_labels(self.data)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


TARGET_MODES = {
    "level": _("atteindre"),
    "increment": _("hausse de"),
    "factor": _("multiplier par"),
}


def french_date(text: str | None) -> str:
    """A date as the rules write it (``2018``, ``2016-11``, ``2016-11-10``), in French."""
    if not text:
        return ""
    year, _, rest = str(text).partition("-")
    if rest.startswith("Q"):
        return partial_date(datetime.date(int(year), 3 * int(rest[1:]) - 2, 1), DatePrecision.QUARTER)
    parts = [int(p) for p in str(text).split("-")]
    precision = {1: DatePrecision.YEAR, 2: DatePrecision.MONTH}.get(len(parts), DatePrecision.DAY)
    return partial_date(datetime.date(*(parts + [1] * (3 - len(parts)))), precision)


def _proposal_labels(data: dict) -> dict:
    """What the draft shows of an item's reading, in French (the codes stay in ``data``)."""
    qualifier = data.get("qualifier")
    amount = data.get("amount")
    return {
        "amount": formatting.quantity(Decimal(amount), "€") if amount else "",
        "mode": TARGET_MODES.get(data.get("mode"), ""),
        "qualifier": Qualifier(qualifier).label if qualifier in Qualifier.values and qualifier != "exact" else "",
        "deadline": french_date(data.get("deadline")),
        "value": french_date(data.get("value")) if "precision" in data else "",
        "end": french_date(data.get("end")),
    }
