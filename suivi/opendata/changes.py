"""Published changes, read from the edit history: new values, status changes, new initiatives."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse

from suivi.catalogue.models import Measure, Programme
from suivi.contributions.workflow import Status
from suivi.indicators.models import Indicator, Observation
from suivi.initiatives.models import Initiative
from suivi.territories.models import Territory
from suivi.ui.formatting import partial_date, quantity

LIMIT = 50


@dataclass(frozen=True)
class Change:
    id: str
    when: datetime.datetime
    title: str
    description: str
    url: str


def value_changes(indicators, territory: Territory | None) -> list[Change]:
    indicators = {i.pk: i for i in indicators.select_related("measure__programme")}
    public_values = Observation.objects.public().filter(indicator_id__in=indicators)
    records = Observation.history.filter(
        id__in=public_values.values("pk"), status=Status.PUBLISHED, history_type__in=["+", "~"]
    )
    if territory is not None:
        records = records.filter(territory_id=territory.code)
    changes = []
    for record in records.order_by("-history_date")[:LIMIT]:
        indicator = indicators[record.indicator_id]
        measure = indicator.measure
        figure = quantity(record.value, indicator.unit, record.qualifier)
        when = partial_date(record.date, record.date_precision)
        verb = "Nouvelle valeur" if record.history_type == "+" else "Valeur corrigée"
        url = (
            reverse("publication:measure", args=[measure.programme.slug, measure.slug])
            + f"#indicateur-{indicator.slug}"
        )
        changes.append(
            Change(
                f"observation-{record.history_id}",
                record.history_date,
                f"{verb} : {indicator.name} — {figure} ({when}, {record.territory_id})",
                f"{measure.title}. {indicator.name} : {figure} en {when} pour {record.territory_id}.",
                url,
            )
        )
    return changes


def status_changes(measures) -> list[Change]:
    changes = []
    records = Measure.history.filter(id__in=measures.values("pk"), is_published=True).order_by("id", "history_date")
    slugs = dict(Programme.objects.values_list("pk", "slug"))
    previous: dict[int, str] = {}
    for record in records:
        before = previous.get(record.id)
        previous[record.id] = record.status
        if before == record.status:
            continue
        label = Measure(status=record.status).get_status_display()
        url = reverse("publication:measure", args=[slugs[record.programme_id], record.slug])
        title = f"Nouvelle mesure : {record.title}" if before is None else f"{record.title} : {label}"
        changes.append(Change(f"measure-{record.history_id}", record.history_date, title, f"État : {label}.", url))
    return changes


def initiative_changes(initiatives) -> list[Change]:
    records = Initiative.history.filter(id__in=initiatives.values("pk"), history_type="+", status=Status.PUBLISHED)
    slugs = dict(Programme.objects.values_list("pk", "slug"))
    return [
        Change(
            f"initiative-{record.history_id}",
            record.history_date,
            f"Nouvelle initiative locale : {record.title}",
            record.body[:500],
            reverse("publication:initiative", args=[slugs[record.programme_id], record.slug]),
        )
        for record in records.order_by("-history_date")[:LIMIT]
    ]


def changes(programme: Programme | None = None, measure: Measure | None = None, territory: Territory | None = None):
    """The latest published changes within a programme, a measure or a territory, newest first."""
    measures = Measure.objects.public()
    initiatives = Initiative.objects.public()
    if programme is not None:
        measures, initiatives = measures.filter(programme=programme), initiatives.filter(programme=programme)
    if measure is not None:
        measures, initiatives = measures.filter(pk=measure.pk), initiatives.filter(measures=measure)
    if territory is not None:
        initiatives = initiatives.in_territory(territory)
    found = value_changes(Indicator.objects.filter(measure__in=measures), territory)
    if territory is None:
        found += status_changes(measures)
    found += initiative_changes(initiatives)
    return sorted(found, key=lambda change: change.when, reverse=True)[:LIMIT]
