"""The only writers of values: rights, checks, one transaction, history, hooks."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from suivi.contributions.recording import change
from suivi.contributions.rights import Rights, require
from suivi.contributions.services import check_version, programme_id_of, scope_of, validated
from suivi.contributions.workflow import Status
from suivi.indicators.models import Indicator, Observation
from suivi.sources.models import Origin, SourceLocator
from suivi.sources.precision import DatePrecision, Qualifier
from suivi.sources.services import SourceSpec, locator_for
from suivi.territories.models import Territory


@dataclass
class ValueInput:
    """What a writer gives for one value, whatever the door (page, API, import)."""

    indicator: Indicator
    territory: Territory
    date: datetime.date
    value: Decimal
    date_precision: str = DatePrecision.DAY
    qualifier: str = Qualifier.EXACT
    comment: str = ""
    source: SourceLocator | None = None
    cite: SourceSpec | None = None  # a new reference (upload, address) to make the source from

    @classmethod
    def from_form(cls, data: dict, **extra) -> ValueInput:
        """From a value form's cleaned data (the date field gives the date and its precision)."""
        date, precision = data["date"]
        return cls(
            indicator=data["indicator"],
            territory=data["territory"],
            date=date,
            date_precision=precision,
            value=data["value"],
            qualifier=data["qualifier"],
            **extra,
        )

    def fields(self) -> dict:
        return {
            "indicator": self.indicator,
            "territory": self.territory,
            "date": self.date,
            "date_precision": self.date_precision,
            "value": self.value,
            "qualifier": self.qualifier,
            "comment": self.comment,
            "source": self.source,
        }


def save_value(
    actor,
    data: ValueInput,
    *,
    observation: Observation | None = None,
    expected_version: int | None = None,
    publish: bool = False,
    origin: str = Origin.PAGE,
    reason: str = "",
) -> Observation:
    """Create a value, or correct ``observation``; raises ``NotAllowed``, ``ValidationError`` or ``Conflict``.

    A new value is a draft, unless ``publish`` and the writer reviews this programme. A
    correction by a contributor goes back to draft (it must be validated again); a
    reviewer's correction keeps the value's status.
    """
    rights = Rights.of(actor)
    programme_id = data.indicator.measure.programme_id
    require(rights.can_write(programme_id, [data.indicator.measure_id], [data.territory]))
    if observation is not None:
        require(rights.can_write(programme_id_of(observation), *scope_of(observation)))
    if data.date > datetime.date.today() + datetime.timedelta(days=366 * 5):
        raise ValidationError({"date": _("Cette date est trop loin dans l’avenir pour une valeur observée.")})
    reviewer = rights.can_review(programme_id)
    default_reason = _("Nouvelle valeur") if observation is None else _("Correction de la valeur")
    with change(actor, origin, reason or default_reason, data.indicator.measure.programme):
        if observation is None:
            observation = Observation(entered_by=actor if getattr(actor, "is_authenticated", False) else None)
            observation.status = Status.PUBLISHED if publish and reviewer else Status.DRAFT
        else:
            observation = Observation.objects.select_for_update().get(pk=observation.pk)
            check_version(observation, expected_version, data.fields())
            observation.version += 1
            if not reviewer:
                observation.status = Status.DRAFT
        for name, value in data.fields().items():
            setattr(observation, name, value)
        if data.cite is not None and not data.cite.empty:
            observation.source = locator_for(data.indicator.measure.programme, data.cite)
        validated(observation, exclude=["entered_by"])
        observation.save()
    return observation
