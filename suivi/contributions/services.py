"""What every write service shares: version checks, workflow moves, history and restore.

Values and initiatives have their own services (``indicators.services``,
``initiatives.services``); both call these for the parts that are the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from suivi.contributions.models import Transition
from suivi.contributions.recording import change
from suivi.contributions.rights import Rights, require
from suivi.contributions.workflow import NEEDS_COMMENT, TRANSITIONS, Status
from suivi.sources.models import Origin
from suivi.ui import formatting


@dataclass
class FieldConflict:
    field: str
    label: str
    theirs: str
    yours: str


class Conflict(Exception):
    """Someone saved the record since the writer opened it; nothing was written.

    ``fields`` lists each field where the saved version and the writer's differ.
    """

    def __init__(self, current_version: int, fields: list[FieldConflict]):
        self.current_version = current_version
        self.fields = fields
        super().__init__(
            _("Cet enregistrement a été modifié par quelqu’un d’autre pendant que vous le modifiiez (version %d).")
            % current_version
        )


def check_version(obj: models.Model, expected: int | None, submitted: dict, current: dict | None = None) -> None:
    """Raise ``Conflict`` when ``obj`` is no longer at version ``expected`` (None: no check).

    ``current`` gives the saved values of fields ``getattr`` cannot read (many-to-many).
    """
    if expected is None or obj.version == expected:
        return
    current = current or {}
    fields = []
    for name, value in submitted.items():
        theirs = current[name] if name in current else getattr(obj, name)
        if _display(theirs) != _display(value):
            label = str(obj._meta.get_field(name).verbose_name)
            fields.append(FieldConflict(name, label, _display(theirs), _display(value)))
    raise Conflict(obj.version, fields)


def _display(value) -> str:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Decimal):
        return formatting.number(value)
    if isinstance(value, list | tuple | set):
        return ", ".join(sorted(_display(v) for v in value))
    return "" if value is None else str(value)


def validated(obj: models.Model, exclude: list[str] | None = None) -> None:
    """Run the model's own checks; raise ``ValidationError`` with field messages."""
    obj.full_clean(exclude=exclude, validate_unique=True, validate_constraints=True)


def programme_id_of(item) -> int:
    """The programme an observation or an initiative belongs to."""
    if hasattr(item, "programme_id"):
        return item.programme_id
    return item.indicator.measure.programme_id


def scope_of(item) -> tuple[list[int], list]:
    """(measure ids, territories) a value or an initiative is about, as rights see them."""
    if hasattr(item, "indicator_id"):
        return [item.indicator.measure_id], [item.territory]
    return list(item.measures.values_list("pk", flat=True)), list(item.territories.all())


def move(actor, item, to_status: str, comment: str = "", origin: str = Origin.PAGE):
    """Move a value or an initiative to ``to_status``, recorded with who, when and why."""
    from_status = item.status
    transition = (from_status, to_status)
    if transition not in TRANSITIONS:
        raise ValidationError(
            _("On ne peut pas passer de « %(from)s » à « %(to)s ».")
            % {"from": Status(from_status).label, "to": Status(to_status).label}
        )
    if transition in NEEDS_COMMENT and not comment.strip():
        raise ValidationError({"comment": _("Dites pourquoi : ce commentaire est gardé dans l’historique.")})
    rights = Rights.of(actor)
    programme_id = programme_id_of(item)
    is_own = actor is not None and getattr(item, "entered_by_id", None) == getattr(actor, "pk", -1)
    measures, territories = scope_of(item)
    require(rights.can_move(programme_id, transition, is_own, measures, territories))
    verb = TRANSITIONS[transition]
    reason = f"{verb.capitalize()}" + (f" : {comment.strip()}" if comment.strip() else "")
    with change(actor, origin, reason) as record:
        type(item).objects.filter(pk=item.pk).select_for_update().first()
        item.status = to_status
        item.version += 1
        item.save(update_fields=["status", "version"])
        Transition.objects.create(
            content_type=ContentType.objects.get_for_model(item),
            object_id=item.pk,
            from_status=from_status,
            to_status=to_status,
            actor=record.change_set.author,
            comment=comment.strip(),
            change_set=record.change_set,
        )
        record.touch(item.programme if hasattr(item, "programme_id") else item.indicator.measure.programme)
    return item


def transitions_of(item) -> list[Transition]:
    return list(
        Transition.objects.filter(content_type=ContentType.objects.get_for_model(item), object_id=item.pk)
        .select_related("actor")
        .order_by("at", "pk")
    )
