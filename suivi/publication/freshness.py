"""When the public record last changed, for Last-Modified headers and feeds."""

from __future__ import annotations

import datetime

from django.db.models import Max

from suivi.catalogue.models import Measure, Programme
from suivi.indicators.models import Indicator, Observation
from suivi.initiatives.models import Funding, Initiative
from suivi.territories.models import TerritoryRelease

HISTORIES = [Programme, Measure, Indicator, Observation, Initiative, Funding]


def last_change() -> datetime.datetime | None:
    moments = [model.history.aggregate(at=Max("history_date"))["at"] for model in HISTORIES]
    moments.append(TerritoryRelease.objects.aggregate(at=Max("loaded_at"))["at"])
    moments = [m for m in moments if m is not None]
    return max(moments) if moments else None
