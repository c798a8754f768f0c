"""What a writer's scope holds: for each indicator and territory, the latest value, missing or stale."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from suivi.contributions.rights import Rights
from suivi.indicators.models import Indicator, Observation
from suivi.indicators.progress import is_stale
from suivi.territories.models import Territory

MAX_ROWS = 300


@dataclass
class ScopeRow:
    indicator: Indicator
    territory: Territory
    latest: Observation | None
    stale: bool

    @property
    def state(self) -> str:
        if self.latest is None:
            return "missing"
        return "stale" if self.stale else "ok"


def scope_rows(rights: Rights, programme) -> list[ScopeRow]:
    """One row per indicator of the writer's measures and per territory of its scope (at most ``MAX_ROWS``).

    Missing values first, then stale ones: what the writer has to do.
    """
    indicators = list(
        Indicator.objects.filter(measure__in=rights.scope_measures(programme))
        .select_related("measure")
        .order_by("measure__position", "position")
    )
    territories = rights.scope_territories(programme)
    latest: dict[tuple[int, str], Observation] = {}
    values = (
        Observation.objects.filter(indicator__in=indicators, territory__in=territories)
        .order_by("indicator_id", "territory_id", "-date")
        .only("id", "indicator_id", "territory_id", "date", "date_precision", "value", "status", "qualifier")
    )
    for value in values:
        latest.setdefault((value.indicator_id, value.territory_id), value)
    today = timezone.localdate()
    rows = []
    for indicator in indicators:
        for territory in territories:
            found = latest.get((indicator.pk, territory.pk))
            rows.append(ScopeRow(indicator, territory, found, found is not None and is_stale(indicator, found, today)))
            if len(rows) >= MAX_ROWS:
                break
    order = {"missing": 0, "stale": 1, "ok": 2}
    return sorted(rows, key=lambda r: order[r.state])
