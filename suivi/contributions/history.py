"""A record's versions, the differences between them, and restoring an earlier one."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from suivi.indicators.models import Observation
from suivi.indicators.services import ValueInput, save_value
from suivi.initiatives.models import Initiative
from suivi.initiatives.services import InitiativeInput, save_initiative
from suivi.sources.models import Origin
from suivi.ui import formatting

# Bookkeeping fields a reader does not need to see change.
HIDDEN = {"version", "id", "entered_by"}


@dataclass
class Difference:
    label: str
    old: str
    new: str


@dataclass
class Version:
    record: object  # the historical row
    differences: list[Difference]
    is_current: bool
    restorable: bool = False  # its data differs from the current version's

    @property
    def origin_label(self) -> str:
        change_set = self.record.change_set
        return change_set.get_origin_display() if change_set else _("avant le suivi des modifications")

    @property
    def reason(self) -> str:
        change_set = self.record.change_set
        return change_set.reason if change_set else (self.record.history_change_reason or "")


def _shown(model, field: str, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):  # many-to-many: rows of the through table
        names = []
        for row in value:
            target = next((v for k, v in row.items() if k != model._meta.model_name), None)
            names.append(str(target))
        return ", ".join(sorted(names)) or "—"
    model_field = model._meta.get_field(field)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        related = model_field.related_model.objects.filter(pk=value).first()
        return str(related) if related else str(value)
    if hasattr(value, "isoformat"):
        return formats.date_format(value, "j F Y")
    if isinstance(value, Decimal):
        return formatting.number(value)
    return str(value)


def versions(item) -> list[Version]:
    """Newest first, each with what changed since the one before it."""
    model = type(item)
    records = list(item.history.select_related("change_set", "history_user").order_by("-history_date", "-pk"))
    found = []
    workflow = HIDDEN | {"status"}
    for index, record in enumerate(records):
        older = records[index + 1] if index + 1 < len(records) else None
        differences = []
        if older is not None:
            delta = record.diff_against(older, excluded_fields=HIDDEN)
            for change in delta.changes:
                label = str(model._meta.get_field(change.field).verbose_name)
                differences.append(
                    Difference(label, _shown(model, change.field, change.old), _shown(model, change.field, change.new))
                )
        restorable = index > 0 and bool(records[0].diff_against(record, excluded_fields=workflow).changes)
        found.append(Version(record, differences, index == 0, restorable))
    return found


def restore(actor, item, history_id: int, expected_version: int | None = None):
    """Bring back the fields of an earlier version, as a new recorded change (rights and checks apply)."""
    record = item.history.get(history_id=history_id)
    when = formats.date_format(record.history_date, "j F Y à H:i")
    reason = _("Restauration de la version du %s") % when
    version = item.version if expected_version is None else expected_version
    if isinstance(item, Observation):
        data = ValueInput(
            indicator=record.indicator,
            territory=record.territory,
            date=record.date,
            value=record.value,
            date_precision=record.date_precision,
            qualifier=record.qualifier,
            comment=record.comment,
            source=record.source,
        )
        return save_value(actor, data, observation=item, expected_version=version, origin=Origin.RESTORE, reason=reason)
    if isinstance(item, Initiative):
        data = InitiativeInput(
            title=record.title,
            body=record.body,
            measures=[row.measure for row in record.measures.all()],
            territories=[row.territory for row in record.territories.all()],
            partners=[row.organisation for row in record.partners.all()],
            start_date=record.start_date,
            start_precision=record.start_precision,
        )
        return save_initiative(
            actor,
            item.programme,
            data,
            initiative=item,
            expected_version=version,
            origin=Origin.RESTORE,
            reason=reason,
        )
    raise TypeError(f"No restore for {type(item).__name__}.")
