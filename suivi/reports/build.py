"""What a progress report says, assembled from a snapshot of the public record.

``build(...)`` returns a ``Report``: plain data, already worded in French, that the HTML
template lays out (and WeasyPrint turns into a PDF). Nothing here renders markup except
the small charts (``charts.py``). Progress and status come from the one calculator
(``indicators.progress.compute``), evaluated at the date of each value.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from suivi.catalogue.models import Axis, Measure, MeasureStatus, Programme
from suivi.contributions.rights import covers
from suivi.indicators.models import Indicator, Observation
from suivi.indicators.progress import Progress, compute
from suivi.initiatives.models import Initiative
from suivi.reports.charts import line_chart
from suivi.reports.snapshot import Snapshot
from suivi.sources.models import SourceLocator
from suivi.territories.models import COUNTRY_CODE, Level, Territory
from suivi.ui.formatting import long_quantity, partial_date


class ReportScopeError(ValueError):
    """An axis, measure or territory the programme does not have (the message says which)."""


@dataclass
class Note:
    number: int
    quote: str
    document: str
    detail: str  # publisher, date, place in the document
    url: str


class Notes:
    """Numbers the sources of one measure (or of a report's closing pages), in order of first use."""

    def __init__(self, locators: dict[int, SourceLocator]):
        self.locators = locators
        self.items: list[Note] = []
        self.keys: dict[tuple, int] = {}

    def cite(self, locator_id: int | None, line: int | None = None) -> int | None:
        locator = self.locators.get(locator_id) if locator_id else None
        if locator is None:
            return None
        key = (locator_id, line)
        if key not in self.keys:
            self.keys[key] = len(self.items) + 1
            self.items.append(self._note(self.keys[key], locator, line))
        return self.keys[key]

    @staticmethod
    def _note(number: int, locator: SourceLocator, line: int | None) -> Note:
        document = locator.document
        place = f"ligne {line} du fichier" if line else locator.place
        detail = ", ".join(
            part
            for part in (
                document.publisher,
                partial_date(document.published_on, document.published_precision),
                place,
            )
            if part
        )
        url = ""
        if document.programme_id:
            path = reverse("publication:source", args=[document.programme.slug, document.slug])
            anchor = f"#ligne-{locator.line_start}" if locator.line_start and not line else ""
            url = settings.SUIVI_SITE_URL.rstrip("/") + path + anchor
        quote = "" if line else locator.quote
        return Note(number, quote, document.title, detail, url)


@dataclass
class Figure:
    """A key figure set apart: the big number, what it counts, the date of the fact."""

    value: str
    label: str
    date: str
    note: int | None = None


@dataclass
class Target:
    indicator: str
    sentence: str
    progress: Progress
    value: str
    as_of: str  # "au 31 décembre 2016"
    note: int | None = None

    @property
    def status_line(self) -> str:
        if not self.progress.has_status:
            # "diviser par 2" with no stated starting value: the target has no number to reach.
            return "avancement non calculé : la source ne donne pas la valeur de départ"
        return f"{self.as_of} : {self.progress.status_label}" if self.as_of else self.progress.status_label


@dataclass
class Chart:
    title: str
    svg: str
    rows: list[tuple[str, str]]  # (date, value) in French, the chart's data as text


@dataclass
class TerritoryValue:
    indicator: str
    value: str
    date: str
    national: str
    national_date: str
    note: int | None = None


@dataclass
class Example:
    title: str
    places: str
    body: str
    figures: list[Figure]
    note: int | None = None


@dataclass
class MeasureSection:
    anchor: str
    title: str
    tags: list[str]
    status: str
    summary: str
    body: str
    figures: list[Figure] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    territory_values: list[TerritoryValue] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    title_note: int | None = None


@dataclass
class AxisSection:
    anchor: str
    number: int
    name: str
    description: str
    measures: list[MeasureSection]


@dataclass
class Report:
    programme: Programme
    title: str
    scope: str  # "" for the whole programme, else "Axe : …", "Territoire : Indre (36)"
    axes: list[AxisSection]
    data_date: str  # when the record was read: "28 novembre 2026" or the --as-of date
    latest_fact: str  # the most recent date a figure is of: "janvier 2017"
    as_of: datetime.datetime | None
    site_url: str

    @property
    def measure_count(self) -> int:
        return sum(len(a.measures) for a in self.axes)

    @property
    def is_empty(self) -> bool:
        return not self.measure_count


def build(
    slug: str,
    *,
    axis: str | None = None,
    measure: str | None = None,
    territory: str | None = None,
    as_of: datetime.datetime | None = None,
) -> Report:
    """The report of programme ``slug``, whole or for one axis, measure or territory, now or ``as_of``."""
    snapshot = Snapshot(as_of)
    programme = snapshot.programme(slug)
    place = _territory(territory) if territory else None
    axes = snapshot.axes(programme)
    measures = snapshot.measures(programme)
    scope = ""
    if axis:
        chosen = [a for a in axes if a.slug == axis]
        if not chosen:
            raise ReportScopeError(f"Le programme « {programme} » n’a pas d’axe « {axis} ».")
        axes, scope = chosen, f"Axe : {chosen[0].name}"
    if measure:
        chosen_measures = [m for m in measures if m.slug == measure]
        if not chosen_measures:
            raise ReportScopeError(f"Le programme « {programme} » n’a pas de mesure publiée « {measure} ».")
        measures, scope = chosen_measures, f"Mesure : {chosen_measures[0].title}"
    if place is not None:
        scope = f"Territoire : {place.name}" + (f" ({place.insee_code})" if place.insee_code else "")
    axis_ids = {a.pk for a in axes}
    measures = [m for m in measures if m.axis_id in axis_ids]
    return _Builder(snapshot, programme, place).report(axes, measures, scope)


def _territory(code: str) -> Territory:
    key = code.replace("-", ":", 1) if ":" not in code else code
    found = Territory.objects.select_related("parent").filter(code=key).first()
    if found is None:
        raise ReportScopeError(f"Territoire inconnu : « {code} » (attendu : un code comme dep:36 ou com:36044).")
    return found


class _Builder:
    def __init__(self, snapshot: Snapshot, programme: Programme, place: Territory | None):
        self.snapshot = snapshot
        self.programme = programme
        self.place = place
        self.latest_fact: tuple[datetime.date, str] | None = None

    def report(self, axes: list[Axis], measures: list[Measure], scope: str) -> Report:
        snapshot = self.snapshot
        ids = [m.pk for m in measures]
        decisions = snapshot.decisions(self.programme)
        decisions_of = snapshot.links(Measure, "decisions", ids)
        indicators = snapshot.indicators(ids)
        territories = [COUNTRY_CODE] if self.place is None else [COUNTRY_CODE, self.place.code]
        values: dict[tuple[int, str], list[Observation]] = {}
        for observation in snapshot.observations([i.pk for i in indicators], territories):
            values.setdefault((observation.indicator_id, observation.territory_id), []).append(observation)
        fundings = snapshot.fundings(ids)
        initiatives, places_of = self._initiatives(ids)
        figures = snapshot.initiative_figures([i.pk for i in initiatives])
        locators = self._locators(measures, indicators, values, fundings, initiatives, figures)
        sections: dict[int, list[MeasureSection]] = {}
        for measure in measures:
            section = self._measure(
                measure,
                [decisions[d] for d in sorted(decisions_of.get(measure.pk, []), key=lambda d: decisions[d].number)],
                [i for i in indicators if i.measure_id == measure.pk],
                values,
                [f for f in fundings if f.measure_id == measure.pk],
                [(i, places_of[i.pk]) for i in initiatives if measure.pk in i.measure_ids],
                figures,
                Notes(locators),
            )
            if section is not None:
                sections.setdefault(measure.axis_id, []).append(section)
        axis_sections = [
            AxisSection(f"axe-{a.slug}", a.position, a.name, a.description, sections[a.pk])
            for a in axes
            if sections.get(a.pk)
        ]
        moment = self.snapshot.as_of or timezone.now()
        latest = partial_date(*self.latest_fact) if self.latest_fact else ""
        title = f"{self.programme.name}"
        return Report(
            self.programme,
            title,
            scope,
            axis_sections,
            partial_date(timezone.localdate(moment)),
            latest,
            self.snapshot.as_of,
            settings.SUIVI_SITE_URL.rstrip("/"),
        )

    def _initiatives(self, measure_ids) -> tuple[list[Initiative], dict[int, list[Territory]]]:
        initiatives = self.snapshot.initiatives(self.programme)
        ids = [i.pk for i in initiatives]
        measures_of = self.snapshot.links(Initiative, "measures", ids)
        places_of = self.snapshot.links(Initiative, "territories", ids)
        territories = Territory.objects.in_bulk({t for codes in places_of.values() for t in codes})
        kept, places = [], {}
        wanted = set(measure_ids)
        for initiative in initiatives:
            initiative.measure_ids = set(measures_of.get(initiative.pk, [])) & wanted
            here = [territories[c] for c in places_of.get(initiative.pk, []) if c in territories]
            if not initiative.measure_ids:
                continue
            if self.place is not None and not any(covers(self.place, t) for t in here):
                continue
            kept.append(initiative)
            places[initiative.pk] = sorted(here, key=lambda t: t.name)
        return kept, places

    def _locators(self, measures, indicators, values, fundings, initiatives, figures) -> dict[int, SourceLocator]:
        wanted = {m.source_id for m in measures}
        wanted |= {i.target_source_id for i in indicators} | {i.baseline_source_id for i in indicators}
        wanted |= {o.source_id for series in values.values() for o in series}
        wanted |= {f.source_id for f in fundings} | {i.source_id for i in initiatives} | {f.source_id for f in figures}
        wanted.discard(None)
        return SourceLocator.objects.select_related("document__programme").in_bulk(wanted)

    def _fact(self, date: datetime.date, precision: str) -> str:
        """A value's date in French, remembered if it is the report's most recent one."""
        if self.latest_fact is None or date > self.latest_fact[0]:
            self.latest_fact = (date, precision)
        return partial_date(date, precision)

    def _measure(self, measure, decisions, indicators, values, fundings, initiatives, figures, notes):
        local = self.place is not None and self.place.code != COUNTRY_CODE
        section = MeasureSection(
            anchor=f"mesure-{measure.slug}",
            title=measure.title,
            tags=[f"Mesure {d.name}" for d in decisions],
            status=MeasureStatus(measure.status).label,
            summary=measure.summary,
            body="" if local else measure.body,
        )
        section.title_note = notes.cite(measure.source_id)
        start = min((d.date for d in decisions), default=None)
        for indicator in indicators:
            national = values.get((indicator.pk, COUNTRY_CODE), [])
            if local:
                self._territory_value(
                    section, indicator, values.get((indicator.pk, self.place.code), []), national, notes
                )
            else:
                self._indicator(section, measure, indicator, national, start, notes)
        if not local:
            for funding in fundings:
                date = partial_date(funding.date, funding.date_precision) if funding.date else ""
                if funding.period_start and date:
                    date = f"{partial_date(funding.period_start, funding.period_start_precision)} – {date}"
                section.figures.append(
                    Figure(
                        long_quantity(funding.amount, "€", funding.qualifier),
                        funding.label,
                        date,
                        notes.cite(funding.source_id),
                    )
                )
        for initiative, places in initiatives:
            own = [f for f in figures if f.initiative_id == initiative.pk]
            section.examples.append(
                Example(
                    initiative.title,
                    ", ".join(_place_name(t) for t in places),
                    initiative.body,
                    [
                        Figure(
                            long_quantity(f.value, f.unit, f.qualifier),
                            f.label,
                            partial_date(f.date, f.date_precision) if f.date else "",
                            notes.cite(f.source_id),
                        )
                        for f in own
                    ],
                    notes.cite(initiative.source_id),
                )
            )
        if local and not section.territory_values and not section.examples:
            return None
        section.notes = notes.items
        return section

    def _indicator(self, section, measure, indicator: Indicator, national: list[Observation], start, notes) -> None:
        latest = national[-1] if national else None
        if latest is not None:
            section.figures.append(
                Figure(
                    long_quantity(latest.value, indicator.unit, latest.qualifier),
                    indicator.name,
                    self._fact(latest.date, latest.date_precision),
                    notes.cite(latest.source_id, latest.source_line),
                )
            )
        if indicator.has_target:
            progress = compute(
                indicator, latest, self.snapshot.day, start=start, abandoned=measure.status == MeasureStatus.ABANDONED
            )
            section.targets.append(
                Target(
                    indicator.name,
                    indicator.target_sentence or indicator.name,
                    progress,
                    long_quantity(latest.value, indicator.unit, latest.qualifier) if latest else "",
                    f"au {partial_date(progress.as_of)}" if progress.as_of else "",
                    notes.cite(indicator.target_source_id),
                )
            )
        points = [(o.date, o.date_precision, o.value) for o in national]
        if indicator.baseline_value is not None and indicator.baseline_date is not None:
            points.insert(0, (indicator.baseline_date, indicator.baseline_precision, indicator.baseline_value))
        if len(points) > 1:
            section.charts.append(_chart(f"{indicator.name} — France", indicator.unit, points))

    def _territory_value(self, section, indicator: Indicator, here: list[Observation], national, notes) -> None:
        if not here:
            return
        latest = here[-1]
        same_date = [o for o in national if o.date == latest.date]
        beside = same_date[-1] if same_date else (national[-1] if national else None)
        section.territory_values.append(
            TerritoryValue(
                indicator.name,
                long_quantity(latest.value, indicator.unit, latest.qualifier),
                self._fact(latest.date, latest.date_precision),
                long_quantity(beside.value, indicator.unit, beside.qualifier) if beside else "–",
                partial_date(beside.date, beside.date_precision) if beside else "",
                notes.cite(latest.source_id, latest.source_line),
            )
        )
        points = [(o.date, o.date_precision, o.value) for o in here]
        if len(points) > 1:
            section.charts.append(_chart(f"{indicator.name} — {self.place.name}", indicator.unit, points))


def _place_name(territory: Territory) -> str:
    if territory.level == Level.COMMUNE and territory.departement_id:
        return f"{territory.name} ({territory.departement_id.split(':', 1)[1]})"
    return territory.name


def _chart(title: str, unit: str, points: list[tuple[datetime.date, str, Decimal]]) -> Chart:
    labels = [partial_date(date, precision) for date, precision, _ in points]
    numbers = [value for _, _, value in points]
    rows = [(label, long_quantity(value, unit)) for label, value in zip(labels, numbers, strict=True)]
    return Chart(title, line_chart(title, labels, numbers, unit), rows)
