"""Drafts: read a deposited report in the background, then accept or reject its items.

Accepting a figure writes an indicator value through ``save_value`` — the writer's rights,
the workflow (provisional until validated, unless the programme team publishes), the history
and the change set are those of any form — citing the document, its page, lines and quote.
"""

from __future__ import annotations

import datetime

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suivi.extraction.extract import extract
from suivi.extraction.models import Decision, DraftItem, DraftState, ExtractionDraft
from suivi.extraction.reading import UnreadableDocument
from suivi.indicators.services import ValueInput, save_value
from suivi.sources.services import SourceSpec

STEP_LABELS = {
    "lecture": gettext_lazy("lecture du document"),
    "mesures": gettext_lazy("mesures"),
    "nombres": gettext_lazy("chiffres et montants"),
    "dates": gettext_lazy("dates"),
    "objectifs": gettext_lazy("objectifs"),
    "lieux": gettext_lazy("lieux"),
    "organisations": gettext_lazy("organisations et partenaires"),
}


class AlreadyDecided(Exception):
    pass


def run(draft: ExtractionDraft) -> None:
    """Read the draft's document and store its items; a failure is kept with its reason."""
    ExtractionDraft.objects.filter(pk=draft.pk).update(state=DraftState.RUNNING, steps_done=0)

    def progress(step: str) -> None:
        draft.steps_done += 1
        ExtractionDraft.objects.filter(pk=draft.pk).update(step=step, steps_done=draft.steps_done)

    draft.steps_done = 0
    try:
        result = extract(draft.path, draft.programme, draft.document_date, progress)
    except UnreadableDocument as error:
        ExtractionDraft.objects.filter(pk=draft.pk).update(
            state=DraftState.FAILED, message=str(error).replace(draft.path, draft.name)
        )
        return
    items = _with_suggestions(result.items, result.document_date)
    with transaction.atomic():
        DraftItem.objects.filter(draft=draft).delete()
        DraftItem.objects.bulk_create(
            DraftItem(
                draft=draft,
                position=n,
                kind=item.kind,
                data=item.data,
                confidence=item.confidence,
                page=item.page,
                line_start=item.lines[0],
                line_end=item.lines[1],
                quote=item.quote,
            )
            for n, item in enumerate(items)
        )
        ExtractionDraft.objects.filter(pk=draft.pk).update(
            state=DraftState.READY,
            steps_done=ExtractionDraft.STEPS,
            step="enregistrement",
            document_date=datetime.date.fromisoformat(result.document_date) if result.document_date else None,
        )


def _with_suggestions(items, document_date: str | None):
    """Give each figure what a value needs, as a first guess the reviewer corrects: the measure of
    the heading above it, the place and the date nearest to it in the text."""
    measure, last_lines = None, {}
    for item in items:
        if item.kind == "measure":
            measure = item.data.get("match")
        if item.kind in ("place", "date"):
            last_lines[item.kind] = (item.lines[0], item.data)
        if item.kind != "quantity":
            continue
        place = last_lines.get("place")
        date = last_lines.get("date")
        item.data["suggested"] = {
            "measure": measure,
            "territory": place[1]["code"] if place and item.lines[0] - place[0] <= 2 else "fr",
            "date": date[1]["value"] if date and item.lines[0] - date[0] <= 2 else (document_date or "")[:7],
        }
    return items


def decide(actor, item: DraftItem, decision: str) -> None:
    """Reject an item, or keep one that writes nothing (a date, a place…)."""
    with transaction.atomic():
        locked = DraftItem.objects.select_for_update().get(pk=item.pk)
        if locked.decision != Decision.PENDING:
            raise AlreadyDecided(_("Cet élément a déjà été traité."))
        DraftItem.objects.filter(pk=item.pk).update(decision=decision, decided_by=actor, decided_at=timezone.now())


def accept_figure(actor, item: DraftItem, data: ValueInput, *, publish: bool = False):
    """Write the figure as an indicator value through the write path, citing the draft's document."""
    draft = item.draft
    with transaction.atomic():
        locked = DraftItem.objects.select_for_update().get(pk=item.pk)
        if locked.decision != Decision.PENDING:
            raise AlreadyDecided(_("Cet élément a déjà été traité."))
        with open(draft.path, "rb") as handle:
            upload = File(handle, name=draft.name)
            data.cite = SourceSpec(
                upload=upload,
                title=draft.name.rsplit(".", 1)[0],
                page=item.page,
                quote=item.quote,
                lines=(item.line_start, item.line_end),
            )
            observation = save_value(actor, data, publish=publish, reason=_("lu dans « %s »") % draft.name)
        DraftItem.objects.filter(pk=item.pk).update(
            decision=Decision.ACCEPTED, decided_by=actor, decided_at=timezone.now(), observation=observation
        )
        if draft.document_id is None and observation.source_id:
            ExtractionDraft.objects.filter(pk=draft.pk).update(document=observation.source.document)
    return observation
