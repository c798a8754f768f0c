"""The list of a programme's measures: filtered by axis, decision and both statuses, sorted, without a search word."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from suivi.catalogue.models import Measure, MeasureStatus, Programme
from suivi.indicators.measures import measures_with_progress
from suivi.indicators.progress import ProgressStatus, Rollup
from suivi.ui.formatting import sort_key

# "3 mesures réalisées": the plural of each measure status.
PLURALS = {
    MeasureStatus.PLANNED: _("prévues"),
    MeasureStatus.IN_PROGRESS: _("en cours"),
    MeasureStatus.DONE: _("réalisées"),
    MeasureStatus.ABANDONED: _("abandonnées"),
}

SORTS = {
    "programme": "ordre du programme",
    "titre": "titre",
    "avancement": "avancement (du plus avancé au moins avancé)",
}


@dataclass
class MeasureFilters:
    axis: str = ""
    decision: int | None = None
    status: str = ""  # MeasureStatus
    progress: str = ""  # ProgressStatus
    sort: str = "programme"

    @classmethod
    def from_query(cls, query, programme: Programme) -> MeasureFilters:
        decision = query.get("decision", "")
        axis = query.get("axe", "")
        return cls(
            axis=axis if programme.axes.filter(slug=axis).exists() else "",
            decision=int(decision) if decision.isascii() and decision.isdigit() and len(decision) < 5 else None,
            status=query.get("statut", "") if query.get("statut") in MeasureStatus.values else "",
            progress=query.get("avancement", "") if query.get("avancement") in ProgressStatus.values else "",
            sort=query.get("tri", "") if query.get("tri") in SORTS else "programme",
        )


def measures_of(programme: Programme, filters: MeasureFilters) -> list[tuple[Measure, Rollup]]:
    measures = Measure.objects.public().filter(programme=programme)
    if filters.axis:
        measures = measures.filter(axis__slug=filters.axis)
    if filters.decision is not None:
        measures = measures.filter(decisions__number=filters.decision)
    if filters.status:
        measures = measures.filter(status=filters.status)
    rows = measures_with_progress(measures.distinct().order_by("axis__position", "position"))
    if filters.progress:
        rows = [(m, p) for m, p in rows if p.status == filters.progress]
    if filters.sort == "titre":
        rows.sort(key=lambda row: sort_key(row[0].title))
    elif filters.sort == "avancement":
        rows.sort(key=lambda row: -1 if row[1].percent is None else row[1].percent, reverse=True)
    return rows


def summary(rows: list[tuple[Measure, Rollup]]) -> dict:
    """How many measures in each measure status and in each progress status, in the statuses' order."""
    by_status = Counter(m.status for m, _ in rows)
    by_progress = Counter(p.status for _, p in rows)
    return {
        "statuses": [(value, label, PLURALS[value], by_status[value]) for value, label in MeasureStatus.choices],
        "progress": [
            (value, label, by_progress[value]) for value, label in ProgressStatus.choices if by_progress[value]
        ],
        "total": len(rows),
    }
