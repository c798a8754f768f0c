"""The only writers of the catalogue (programme, axes, decisions, measures, indicators) outside document loads."""

from __future__ import annotations

from django.utils.translation import gettext as _

from suivi.contributions.recording import change
from suivi.contributions.rights import Rights, require
from suivi.contributions.services import check_version, validated
from suivi.sources.models import Origin


def programme_of(obj):
    """The programme a catalogue object belongs to (None for a programme not yet saved)."""
    if obj._meta.model_name == "programme":
        return obj if obj.pk else None
    if hasattr(obj, "programme_id"):
        return obj.programme
    if hasattr(obj, "measure_id"):
        return obj.measure.programme
    raise TypeError(f"{type(obj).__name__} is not a catalogue object.")


def may_edit(actor, obj, rights: Rights | None = None) -> bool:
    programme = programme_of(obj)
    return (rights or Rights.of(actor)).can_edit_catalogue(programme.pk if programme else None)


def save_catalogue_object(
    actor, obj, *, origin: str = Origin.ADMIN, reason: str = "", expected_version: int | None = None, changes=None
):
    """Save a catalogue object the caller changed in memory; rights, checks, history, hooks.

    ``changes`` (field → value) are applied after the version check, when given.
    """
    require(may_edit(actor, obj))
    programme = programme_of(obj)
    with change(actor, origin, reason or _("Modification du catalogue"), programme) as record:
        if hasattr(obj, "version") and obj.pk:
            current = type(obj).objects.select_for_update().get(pk=obj.pk)
            check_version(current, expected_version, changes or {})
            obj.version = current.version + 1
        for name, value in (changes or {}).items():
            setattr(obj, name, value)
        validated(obj)
        obj.save()
        record.touch(programme_of(obj))
    return obj
