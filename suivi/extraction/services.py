"""Drafts: read a deposited report in the background, then accept or reject its items.

Each accepted item is written by the service a form would use, so the writer's rights, the
workflow, the history and the change set are those of any form, and it cites the document
(stored with its checksum, it becomes a source page), its page, lines and quote:

- a figure → an indicator value (``save_value``; provisional until validated, unless the
  programme team publishes);
- a target → an indicator's target (``save_catalogue_object``: the programme team only);
- an amount → a funding line of a measure, with its funder (programme team);
- an organisation → a partner of a measure (programme team);
- a place → a local initiative there (``save_initiative``; a contributor's is a draft);
- a measure heading that matches none of the programme's → a new measure (programme team).

A date, or a heading that matches an existing measure, is kept as read: it writes nothing.
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suivi.catalogue.models import Measure
from suivi.catalogue.services import may_edit, save_catalogue_object
from suivi.contributions.recording import change
from suivi.contributions.rights import require
from suivi.extraction.extract import extract
from suivi.extraction.models import Decision, DraftItem, DraftState, ExtractionDraft
from suivi.extraction.reading import UnreadableDocument
from suivi.indicators.models import Indicator
from suivi.indicators.services import ValueInput, save_value
from suivi.initiatives.models import Funding, Organisation
from suivi.initiatives.services import InitiativeInput, save_initiative
from suivi.sources.models import Origin
from suivi.sources.precision import DatePrecision, Qualifier
from suivi.sources.services import SourceSpec, locator_for

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
    programme = data.indicator.measure.programme
    with _accepting(actor, item, programme, _("lu dans « %(name)s »")) as (locator, outcome):
        data.source = locator
        outcome["object"] = save_value(actor, data, publish=publish)
        DraftItem.objects.filter(pk=item.pk).update(observation=outcome["object"])
    return outcome["object"]


@contextmanager
def _accepting(actor, item: DraftItem, programme, reason: str):
    """One recorded change: the item locked and still pending, the document's locator made; the
    caller writes and sets ``outcome["object"]``; the item is then marked accepted, pointing to it.
    Anything raised (rights, checks) rolls the whole back, the stored document's row included."""
    draft = item.draft
    with change(actor, Origin.PAGE, reason % {"name": draft.name}, programme):
        locked = DraftItem.objects.select_for_update().get(pk=item.pk)
        if locked.decision != Decision.PENDING:
            raise AlreadyDecided(_("Cet élément a déjà été traité."))
        with open(draft.path, "rb") as handle:
            locator = locator_for(
                programme,
                SourceSpec(
                    upload=File(handle, name=draft.name),
                    title=draft.name.rsplit(".", 1)[0],
                    page=item.page,
                    quote=item.quote,
                    lines=(item.line_start, item.line_end),
                ),
            )
        outcome: dict = {}
        yield locator, outcome
        written = outcome["object"]
        DraftItem.objects.filter(pk=item.pk).update(
            decision=Decision.ACCEPTED,
            decided_by=actor,
            decided_at=timezone.now(),
            result_type=ContentType.objects.get_for_model(written),
            result_id=written.pk,
        )
        if draft.document_id is None:
            ExtractionDraft.objects.filter(pk=draft.pk).update(document=locator.document)


TARGET_FIELDS = {"level": "target_value", "increment": "target_increment", "factor": "target_factor"}


@dataclass
class TargetInput:
    indicator: Indicator
    mode: str  # a key of TARGET_FIELDS
    value: Decimal
    deadline: tuple[datetime.date, str] | None  # (date, precision), as the date fields give it
    sentence: str


def accept_target(actor, item: DraftItem, data: TargetInput) -> Indicator:
    """Give the indicator the target read in the document (it replaces the one it had; the
    history keeps the old one)."""
    indicator = data.indicator
    require(may_edit(actor, indicator))
    date, precision = data.deadline or (None, DatePrecision.DAY)
    with _accepting(actor, item, indicator.measure.programme, _("objectif lu dans « %(name)s »")) as (
        locator,
        outcome,
    ):
        changes = dict.fromkeys(TARGET_FIELDS.values())
        changes |= {
            TARGET_FIELDS[data.mode]: data.value,
            "target_deadline": date,
            "target_precision": precision,
            "target_sentence": data.sentence,
            "target_source": locator,
        }
        outcome["object"] = save_catalogue_object(actor, indicator, origin=Origin.PAGE, changes=changes)
    return indicator


def _organisation(name: str, acronym: str = "") -> Organisation:
    """The organisation of that name or acronym (accents and case aside), made if there is none;
    inside a recorded change."""
    name, acronym = name.strip(), acronym.strip()
    wanted = {slugify(name), slugify(acronym)} - {""}
    for organisation in Organisation.objects.all().only("pk", "name", "acronym", "slug"):
        if wanted & ({slugify(organisation.name), slugify(organisation.acronym)} - {""}):
            return organisation
    base = slugify(acronym or name)[:110] or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    organisation = Organisation(slug=slug, name=name[:300], acronym=acronym[:30])
    organisation.full_clean()
    organisation.save()
    return organisation


@dataclass
class MoneyInput:
    measure: Measure
    label: str
    amount: Decimal
    qualifier: str = Qualifier.EXACT
    funder: str = ""  # an organisation's name, found or made
    date: tuple[datetime.date, str] | None = None


def accept_money(actor, item: DraftItem, data: MoneyInput) -> Funding:
    """A funding line of the measure, with its funder, citing the document."""
    require(may_edit(actor, data.measure))
    with _accepting(actor, item, data.measure.programme, _("montant lu dans « %(name)s »")) as (locator, outcome):
        date, precision = data.date or (None, DatePrecision.DAY)
        last = Funding.objects.filter(measure=data.measure).order_by("-position").first()
        funding = Funding(
            measure=data.measure,
            position=(last.position + 1) if last else 0,
            label=data.label,
            amount=data.amount,
            qualifier=data.qualifier,
            funder=_organisation(data.funder) if data.funder.strip() else None,
            date=date,
            date_precision=precision,
            source=locator,
        )
        outcome["object"] = save_catalogue_object(actor, funding, origin=Origin.PAGE)
    return funding


def accept_partner(actor, item: DraftItem, measure: Measure, name: str, acronym: str = "") -> Organisation:
    """The organisation (found or made) becomes a partner of the measure."""
    require(may_edit(actor, measure))
    with _accepting(actor, item, measure.programme, _("partenaire lu dans « %(name)s »")) as (_locator, outcome):
        organisation = _organisation(name, acronym)
        if not measure.partners.filter(pk=organisation.pk).exists():
            measure.partners.add(organisation)
        outcome["object"] = save_catalogue_object(actor, measure, origin=Origin.PAGE)
    return organisation


def accept_initiative(actor, item: DraftItem, data: InitiativeInput):
    """A local initiative at the place read, the passage as its text; a contributor's is a draft."""
    programme = item.draft.programme
    with _accepting(actor, item, programme, _("initiative lue dans « %(name)s »")) as (locator, outcome):
        data.source = locator
        outcome["object"] = save_initiative(actor, programme, data, origin=Origin.PAGE)
    return outcome["object"]


@dataclass
class MeasureInput:
    axis: object  # an Axis of the draft's programme
    title: str
    decisions: list  # Decision objects


def accept_measure(actor, item: DraftItem, data: MeasureInput) -> Measure:
    """A new measure of the programme, from a heading that matches none of its measures; it is
    created unpublished, for the team to complete before it shows."""
    programme = item.draft.programme
    measure = Measure(programme=programme, axis=data.axis, title=data.title, is_published=False)
    require(may_edit(actor, measure))
    with _accepting(actor, item, programme, _("mesure lue dans « %(name)s »")) as (locator, outcome):
        base = slugify(data.title)[:110] or "mesure"
        slug, n = base, 2
        while Measure.objects.filter(programme=programme, slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        last = Measure.objects.filter(programme=programme).order_by("-position").first()
        measure.slug, measure.position, measure.source = slug, (last.position + 1) if last else 1, locator
        save_catalogue_object(actor, measure, origin=Origin.PAGE)
        measure.decisions.set(data.decisions)
        outcome["object"] = measure
    return measure
