"""A measure's progress, assembled once for pages, API, exports and reports.

``progress.py`` holds the rules (one indicator, one roll-up); this module feeds them
from the database: each indicator's published national values, the date progress is
counted from, and the measure's roll-up, in a fixed number of queries.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from django.db.models import Max, Prefetch, Q
from django.utils import timezone

from suivi.catalogue.models import Measure
from suivi.indicators.models import Indicator, Observation
from suivi.indicators.progress import Progress, Rollup, compute, rollup
from suivi.territories.models import COUNTRY_CODE
from suivi.ui.formatting import partial_date

LOCATOR = "source__document__programme"


def today() -> datetime.date:
    return timezone.localdate()


def measure_start(measure: Measure) -> datetime.date | None:
    """Progress is counted from the first decision that carried the measure."""
    dates = [decision.date for decision in measure.decisions.all()]
    return min(dates) if dates else None


@dataclass
class IndicatorView:
    indicator: Indicator
    history: list[Observation]  # national values, oldest first
    progress: Progress
    citations: dict[str, int | None] = field(default_factory=dict)
    departements: TerritorialValues | None = None  # set by pages that show the map of an indicator

    @property
    def latest(self) -> Observation | None:
        return self.history[-1] if self.history else None

    @property
    def chart_points(self) -> list[tuple[datetime.date, str, Decimal]]:
        """The national values, preceded by the dated baseline: "passé en cinq ans de 12 à 44"."""
        points = [(o.date, o.date_precision, o.value) for o in self.history]
        indicator = self.indicator
        if indicator.baseline_value is not None and indicator.baseline_date is not None:
            points.insert(0, (indicator.baseline_date, indicator.baseline_precision, indicator.baseline_value))
        return points

    @property
    def chart_x(self) -> str:
        """The dates as the chart writes them under its axis: in French, as precise as the source."""
        labels = [partial_date(date, precision) for date, precision, _ in self.chart_points]
        return json.dumps([labels], ensure_ascii=False)

    @property
    def chart_y(self) -> str:
        return json.dumps([[float(value) for _, _, value in self.chart_points]])


def indicators_prefetch() -> Prefetch:
    return Prefetch(
        "indicators",
        Indicator.objects.select_related("baseline_source__document__programme", "target_source__document__programme")
        .prefetch_related(
            Prefetch(
                "observations",
                # National values only: territorial series are read per territory, never whole.
                Observation.objects.public().filter(territory_id=COUNTRY_CODE).select_related(LOCATOR).order_by("date"),
                to_attr="national_values",
            )
        )
        .order_by("position", "slug"),
    )


class Citer(Protocol):
    """What numbers a page's footnotes (``publication.sources.Citations``)."""

    def cite(self, locator) -> int | None: ...


def indicator_views(measure: Measure, citations: Citer | None = None) -> list[IndicatorView]:
    start, now = measure_start(measure), today()
    views = []
    for indicator in measure.indicators.all():
        national = indicator.national_values
        latest = national[-1] if national else None
        progress = compute(indicator, latest, now, start=start, abandoned=measure.status == "abandoned")
        view = IndicatorView(indicator, national, progress)
        if citations is not None:
            view.citations = {
                "baseline": citations.cite(indicator.baseline_source),
                "target": citations.cite(indicator.target_source),
            }
            for observation in national:
                observation.citation = citations.cite(observation.source)
        views.append(view)
    return views


def measure_rollup(measure: Measure, views: list[IndicatorView]) -> Rollup:
    return rollup(
        [(v.progress, v.indicator.weight) for v in views],
        abandoned=measure.status == "abandoned",
    )


def with_progress_details(measures):
    """Measures with what their cards and their progress need, in a fixed number of queries."""
    return measures.select_related("programme", "axis").prefetch_related("decisions", "partners", indicators_prefetch())


def progress_of(measure: Measure) -> Rollup:
    """A measure's roll-up (load it through ``with_progress_details``)."""
    return measure_rollup(measure, indicator_views(measure))


def measures_with_progress(measures) -> list[tuple[Measure, Rollup]]:
    return [(m, progress_of(m)) for m in with_progress_details(measures)]


@dataclass
class TerritorialValues:
    """An indicator's values at one level (départements), at the latest date that level has."""

    level: str
    date: datetime.date
    date_precision: str
    rows: list[Observation]  # territory loaded, in code order

    @property
    def chart_data(self) -> str:
        """``{"36": 12.5, …}`` for dsfr-chart's map (its keys are INSEE codes)."""
        return json.dumps({o.territory.insee_code: float(o.value) for o in self.rows})


def level_range(level: str) -> dict:
    """Typed codes of one level, as a range of the primary key (``dep:`` ≤ code < ``dep;``): the
    (indicator, territory, date) index then reads only that level's rows."""
    return {"territory_id__gte": f"{level}:", "territory_id__lt": f"{level};"}


def territorial_values(indicators: list[Indicator], level: str = "dep") -> dict[int, TerritorialValues]:
    """Each indicator's values at ``level``, at the latest date that level has: two indexed
    queries for all the indicators, whatever the number of values stored."""
    public = Observation.objects.public().filter(indicator__in=indicators, **level_range(level))
    latest = dict(public.values("indicator_id").annotate(latest=Max("date")).values_list("indicator_id", "latest"))
    if not latest:
        return {}
    condition = Q()
    for indicator_id, day in latest.items():
        condition |= Q(indicator_id=indicator_id, date=day)
    found: dict[int, list[Observation]] = {}
    for observation in public.filter(condition).select_related("territory").order_by("indicator_id", "territory_id"):
        found.setdefault(observation.indicator_id, []).append(observation)
    return {key: TerritorialValues(level, latest[key], rows[0].date_precision, rows) for key, rows in found.items()}
