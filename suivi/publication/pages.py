"""What each public page shows, assembled with a fixed number of queries.

Views stay thin: they resolve the URL, call one of these, and render.
"""

from __future__ import annotations

import datetime
import json
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.urls import reverse

from suivi.catalogue.models import Axis, Measure, Programme
from suivi.contributions.workflow import Status
from suivi.indicators.measures import (
    LOCATOR,
    indicator_views,
    indicators_prefetch,
    measure_rollup,
    measures_with_progress,
    territorial_values,
    today,
)
from suivi.indicators.models import ComputedValue, Indicator, Observation, TerritorialTarget
from suivi.indicators.progress import compute
from suivi.initiatives.models import Funding, Initiative, InitiativeFigure, departement_codes
from suivi.publication import measure_list
from suivi.publication.sources import Citations
from suivi.territories.models import COUNTRY_CODE, Level, Territory
from suivi.ui.formatting import partial_date
from suivi.ui.maps import departement_map


def programme_page(programme: Programme) -> dict:
    axes = programme.axes.annotate(
        measure_count=Count("measures", filter=Q(measures__is_published=True), distinct=True),
        initiative_count=Count(
            "measures__initiatives",
            filter=Q(measures__is_published=True, measures__initiatives__status=Status.PUBLISHED),
            distinct=True,
        ),
    ).order_by("position")
    headlines = (
        Observation.objects.public()
        .filter(
            indicator__is_headline=True,
            indicator__measure__programme=programme,
            territory_id=COUNTRY_CODE,
        )
        .select_related("indicator__measure", LOCATOR)
        .order_by("indicator__measure__position", "indicator__position", "-date")
    )
    latest_by_indicator: dict[int, Observation] = {}
    for observation in headlines:
        latest_by_indicator.setdefault(observation.indicator_id, observation)
    return {
        "programme": programme,
        "axes": axes,
        "summary": measure_list.summary(measure_list.measures_of(programme, measure_list.MeasureFilters())),
        "headlines": list(latest_by_indicator.values()),
        "decisions": programme.decisions.select_related("territory").order_by("number"),
        "updates": latest_updates(programme),
    }


@dataclass
class Update:
    when: datetime.datetime  # when it was published here
    what: str
    title: str
    url: str
    fact: str = ""  # the date of the fact, in French ("décembre 2016"), when there is one


def latest_updates(programme: Programme, limit: int = 6) -> list[Update]:
    """The most recent changes to the public record (measures, values, initiatives), one line per object."""
    window = limit * 10  # history has a row per saved field set and per many-to-many change
    measures = {m.pk: m for m in programme.measures.public()}
    candidates: list[tuple[datetime.datetime, str, str, str, str]] = []
    measure_records = Measure.history.filter(programme=programme, is_published=True, id__in=measures)
    for record in measure_records.order_by("-history_date")[:window]:
        kind = "Nouvelle mesure" if record.history_type == "+" else "Mesure mise à jour"
        url = reverse("publication:measure", args=[programme.slug, record.slug])
        candidates.append((record.history_date, kind, record.title, url, ""))
    public_values = Observation.objects.public().filter(indicator__measure__programme=programme)
    values = Observation.history.filter(status=Status.PUBLISHED, id__in=public_values.values("pk"))
    values = values.order_by("-history_date")[:window]
    indicators = Indicator.objects.in_bulk({v.indicator_id for v in values})
    for record in values:
        indicator = indicators.get(record.indicator_id)
        if indicator is None or indicator.measure_id not in measures:
            continue
        measure = measures[indicator.measure_id]
        url = reverse("publication:measure", args=[programme.slug, measure.slug]) + f"#indicateur-{indicator.slug}"
        fact = partial_date(record.date, record.date_precision)
        candidates.append((record.history_date, "Nouvelle valeur", indicator.name, url, fact))
    initiatives = Initiative.history.filter(
        status=Status.PUBLISHED, id__in=programme.initiatives.public().values("pk")
    ).order_by("-history_date")
    for record in initiatives[:window]:
        url = reverse("publication:initiative", args=[programme.slug, record.slug])
        fact = partial_date(record.start_date, record.start_precision) if record.start_date else ""
        candidates.append((record.history_date, "Initiative locale", record.title, url, fact))
    updates: list[Update] = []
    seen: set[str] = set()
    for when, what, title, url, fact in sorted(candidates, key=lambda c: c[0], reverse=True):
        if url not in seen:
            seen.add(url)
            updates.append(Update(when, what, title, url, fact))
    return updates[:limit]


def axis_page(programme: Programme, axis: Axis) -> dict:
    return {
        "programme": programme,
        "axis": axis,
        "measures": measures_with_progress(axis.measures.public().order_by("position")),
    }


def initiatives_prefetch() -> Prefetch:
    return Prefetch(
        "initiatives",
        Initiative.objects.public()
        .select_related(LOCATOR)
        .prefetch_related(
            "territories",
            "partners",
            Prefetch("figures", InitiativeFigure.objects.select_related(LOCATOR).order_by("position")),
            Prefetch("fundings", Funding.objects.select_related("funder", "part_of", LOCATOR).order_by("position")),
        )
        .order_by("slug"),
    )


def measure_page(programme: Programme, measure: Measure) -> dict:
    measure = (
        Measure.objects.select_related("axis", LOCATOR)
        .prefetch_related(
            Prefetch("decisions", programme.decisions.order_by("number")),
            "partners",
            "milestones__source__document__programme",
            indicators_prefetch(),
            Prefetch("fundings", Funding.objects.select_related("funder", "part_of", LOCATOR).order_by("position")),
            initiatives_prefetch(),
        )
        .get(pk=measure.pk)
    )
    citations = Citations()
    citations.cite(measure.source)
    milestones = list(measure.milestones.all())
    for milestone in milestones:
        milestone.citation = citations.cite(milestone.source)
    views = indicator_views(measure, citations)
    by_departement = territorial_values([v.indicator for v in views])
    for view in views:
        view.departements = by_departement.get(view.indicator.pk)
    fundings = list(measure.fundings.all())
    for funding in fundings:
        funding.citation = citations.cite(funding.source)
    # Initiatives are cited on their own pages; here they are cards.
    initiatives = list(measure.initiatives.all())
    partners = {o.pk: o for o in measure.partners.all()}
    for initiative in initiatives:
        partners.update({o.pk: o for o in initiative.partners.all()})
    return {
        "programme": programme,
        "measure": measure,
        "milestones": milestones,
        "indicators": views,
        "progress": measure_rollup(measure, views),
        "fundings": fundings,
        "initiatives": initiatives,
        "partners": sorted(partners.values(), key=lambda o: o.name),
        **map_context(initiatives),
        "charts": True,
        "sources": citations.entries(),
    }


def map_context(initiatives: list[Initiative], region: str | None = None, current: str | None = None) -> dict:
    """What ``ui/departement_map.html`` needs: the map and the table that doubles it.

    The map colours every département of France (or of ``region``), "aucune" where there
    is nothing, and links each to its page's initiatives. An initiative spanning several
    départements counts in each, and once in the total.
    """
    departements = Territory.objects.filter(level=Level.DEPARTEMENT)
    if region is not None:
        departements = departements.filter(region_id=f"reg:{region}")
    names = dict(departements.values_list("insee_code", "name"))
    counts: Counter[str] = Counter()
    total = 0
    for initiative in initiatives:
        codes = departement_codes(initiative) & names.keys()
        total += bool(codes)
        counts.update(codes)
    links = {code: reverse("publication:territory", args=[f"dep-{code}"]) + "#initiatives-title" for code in names}
    return {
        "map": departement_map(
            counts, names, links, focus=set(names) if region is not None else None, current=current, total=total
        ),
        "map_rows": departement_rows(counts),
        "map_total": total,
    }


def departement_rows(counts: dict[str, int]) -> list[tuple[Territory, int]]:
    """The départements of a map's data, with their counts, for the table that doubles the map."""
    departements = Territory.objects.filter(level=Level.DEPARTEMENT, insee_code__in=counts).order_by("code")
    return [(d, counts[d.insee_code]) for d in departements]


def initiative_page(programme: Programme, initiative: Initiative) -> dict:
    initiative = (
        Initiative.objects.select_related(LOCATOR)
        .prefetch_related(
            "territories__departement",
            "partners",
            Prefetch("measures", Measure.objects.public().select_related("axis")),
            Prefetch("figures", InitiativeFigure.objects.select_related(LOCATOR).order_by("position")),
            Prefetch("fundings", Funding.objects.select_related("funder", "part_of", LOCATOR).order_by("position")),
            "conventions__signatories",
        )
        .get(pk=initiative.pk)
    )
    citations = Citations()
    initiative.citation = citations.cite(initiative.source)
    for item in [*initiative.figures.all(), *initiative.fundings.all()]:
        item.citation = citations.cite(item.source)
    return {
        "programme": programme,
        "initiative": initiative,
        **map_context([initiative]),
        "sources": citations.entries(),
    }


# Names in French order on every engine: accents and case do not count (Bélâbre before Buxeuil,
# Île-de-France among the I), through the folded name the territories already keep.
FRENCH_ORDER = ("name_folded", "name")


def children_of(territory: Territory):
    """What a territory page lists under "Territoires rattachés"."""
    if territory.level == Level.COUNTRY:
        return Territory.objects.filter(parent=territory, current=True).order_by("level", *FRENCH_ORDER)
    if territory.level == Level.EPCI:
        return territory.members.filter(current=True).order_by(*FRENCH_ORDER)
    if territory.level in (Level.DEPARTEMENT, Level.OVERSEAS_COLLECTIVITY):
        return Territory.objects.filter(
            departement=territory, level__in=[Level.COMMUNE, Level.EPCI], current=True
        ).order_by("-level", *FRENCH_ORDER)
    return Territory.objects.filter(parent=territory, current=True).order_by("level", *FRENCH_ORDER)


def map_region(territory: Territory) -> str | None:
    """The région whose map a territory page shows (None: France, or no map for overseas collectivities)."""
    if territory.level == Level.REGION:
        return territory.insee_code
    return territory.region_id.split(":", 1)[1] if territory.region_id else None


def territory_page(territory: Territory) -> dict:
    initiatives = list(
        Initiative.objects.public()
        .in_territory(territory)
        .select_related("programme")
        .prefetch_related(
            "territories",
            Prefetch("measures", Measure.objects.public()),
            Prefetch("figures", InitiativeFigure.objects.order_by("position")),
        )
        .order_by("programme__name", "title")
    )
    observations = (
        Observation.objects.public()
        .filter(territory=territory)
        .select_related("indicator__measure__programme", LOCATOR)
        .order_by("indicator__measure__programme__name", "indicator__measure__position", "indicator__position", "-date")
    )
    series: dict[int, list[Observation]] = {}
    for observation in observations:
        series.setdefault(observation.indicator_id, []).append(observation)
    national: dict[int, Observation] = {}
    if territory.code != COUNTRY_CODE and series:
        for observation in (
            Observation.objects.public()
            .filter(territory_id=COUNTRY_CODE, indicator_id__in=list(series))
            .order_by("indicator_id", "-date")
        ):
            national.setdefault(observation.indicator_id, observation)
    computed: dict[int, ComputedValue] = {}
    for value in (
        ComputedValue.objects.filter(territory=territory, indicator__in=Indicator.objects.public())
        .select_related("indicator__measure__programme")
        .order_by("indicator_id", "-date")
    ):
        computed.setdefault(value.indicator_id, value)
    # The territory's own goals (initial value, target): its progress is measured against them.
    goals = {
        goal.indicator_id: goal
        for goal in TerritorialTarget.objects.filter(territory=territory, indicator_id__in=list(series)).select_related(
            "source__document"
        )
    }
    values = []
    for indicator_id, history in series.items():
        latest = history[0]
        latest.goal = goals.get(indicator_id)
        latest.progress = compute(latest.indicator, latest, today(), goal=latest.goal) if latest.goal else None
        latest.national = national.get(indicator_id)
        latest.series = TerritorySeries(list(reversed(history)))
        latest.computed = computed.pop(indicator_id, None)
        values.append(latest)
    # Indicators this territory reports nothing for, but whose children do: the roll-up alone.
    only_computed = sorted(
        computed.values(),
        key=lambda v: (v.indicator.measure.programme.name, v.indicator.measure.position, v.indicator.position),
    )
    region = map_region(territory)
    programmes = {i.programme for i in initiatives} | {v.indicator.measure.programme for v in values}
    return {
        "territory": territory,
        # The programmes whose report has something for this territory (initiatives or values).
        "report_programmes": sorted(programmes, key=lambda p: p.name),
        "ancestors": list(reversed(territory.ancestors())),
        "initiatives": initiatives,
        "values": values,
        "computed_values": only_computed,
        "has_map": territory.level != Level.OVERSEAS_COLLECTIVITY and territory.zone != "com",
        **map_context(initiatives, region, territory.insee_code if territory.level == Level.DEPARTEMENT else None),
        "charts": True,
    }


def map_page(programme: Programme, axis: Axis | None, measure: Measure | None) -> dict:
    initiatives = programme.initiatives.public().filter(measures__in=Measure.objects.public())
    if axis is not None:
        initiatives = initiatives.filter(measures__axis=axis)
    if measure is not None:
        initiatives = initiatives.filter(measures=measure)
    initiatives = list(initiatives.distinct().prefetch_related("territories").order_by("title"))
    unplaced = [i for i in initiatives if not departement_codes(i)]
    return {
        "programme": programme,
        "axis": axis,
        "measure": measure,
        "axes": programme.axes.order_by("position"),
        "measures": programme.measures.public().order_by("position"),
        "initiative_count": len(initiatives),
        **map_context(initiatives),
        "unplaced": unplaced,
    }


@dataclass
class TerritorySeries:
    """One indicator's values for one territory, oldest first, as the line chart wants them."""

    points: list[Observation]

    @property
    def chart_x(self) -> str:
        return json.dumps([[partial_date(o.date, o.date_precision) for o in self.points]], ensure_ascii=False)

    @property
    def chart_y(self) -> str:
        return json.dumps([[float(o.value) for o in self.points]])


@dataclass
class SourceLine:
    number: int
    text: str
    cited: bool


def source_page(document) -> dict:
    """A source document: what it is, and its text with every line some figure cites marked."""
    locators = list(document.locators.order_by("line_start", "page", "pk"))
    cited: set[int] = set()
    for locator in locators:
        if locator.line_start is not None:
            cited.update(range(locator.line_start, (locator.line_end or locator.line_start) + 1))
    lines: list[SourceLine] = []
    path = document_text_path(document)
    if path is not None:
        text = path.read_text(encoding="utf-8", errors="replace")
        lines = [SourceLine(n, line, n in cited) for n, line in enumerate(text.splitlines(), start=1)]
    return {"document": document, "lines": lines, "citation_count": len(locators)}


def document_text_path(document):
    """The text file kept in the repository for ``document``, if it is one (uploads are not shown)."""
    from pathlib import Path

    from django.conf import settings

    if not document.file_path or document.file_path.startswith("media:") or not document.media_type.startswith("text/"):
        return None
    root = Path(settings.BASE_DIR).resolve()
    path = (root / document.file_path).resolve()
    return path if path.is_file() and path.is_relative_to(root) else None
