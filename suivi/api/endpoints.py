"""The read API, version 1: every resource of the public record, filtered and paginated.

Only published programmes, measures and initiatives appear. Bad filter values answer
400 with the parameter named; unknown resources 404; both as JSON (see ``main``).
"""

from __future__ import annotations

import datetime
from typing import Literal

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from suivi.api import serializers as to
from suivi.api.errors import ApiError
from suivi.api.pagination import PageParams, page_of, paginate
from suivi.api.schemas import (
    AxisOut,
    DecisionOut,
    Error,
    FundingOut,
    IndicatorOut,
    InitiativeOut,
    MeasureOut,
    ObservationOut,
    OrganisationOut,
    ProgrammeOut,
    SearchResultOut,
    SourceOut,
    TerritorialTargetOut,
    TerritoryOut,
)
from suivi.catalogue.models import Axis, Decision, Measure, MeasureStatus, Programme
from suivi.indicators.measures import progress_of, today, with_progress_details
from suivi.indicators.models import Indicator, Observation, TerritorialTarget
from suivi.indicators.progress import compute
from suivi.initiatives.models import Funding, Initiative, Organisation
from suivi.search.models import Kind
from suivi.search.query import Filters, search
from suivi.sources.models import SourceLocator
from suivi.territories.models import Level, Territory

router = Router()
ERRORS = {400: Error, 404: Error}
LevelCode = Literal[tuple(Level.values)]  # type: ignore[valid-type]
# Free text, without NUL (refused with a 400 before any view: no database holds it).
NO_NUL = r"^[^\x00]*$"
Text = Field(None, max_length=200, pattern=NO_NUL)
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
TERRITORY = r"^(fr|(reg|ctom|dep|epci|com|comd|coma|arm)[:-][0-9A-Za-z]{1,9})$"
INDICATOR = r"^[a-z0-9-]+/[a-z0-9-]+/[a-z0-9-]+$"


def published_programmes():
    return Programme.objects.public()


def referenced_programme(slug: str | None, parameter: str = "programme") -> Programme | None:
    if slug is None:
        return None
    found = published_programmes().filter(slug=slug).first()
    if found is None:
        raise ApiError(404, f"No programme {slug!r}.", parameter)
    return found


def referenced_territory(code: str | None, parameter: str) -> Territory | None:
    if code is None:
        return None
    code = code if ":" in code or code == "fr" else Territory.code_from_slug(code)
    found = Territory.objects.filter(code=code).first()
    if found is None:
        raise ApiError(404, f"No territory {code!r} (codes look like fr, reg:52, dep:36, com:36044).", parameter)
    return found


def published_measures():
    return Measure.objects.public()


def published_initiatives():
    return Initiative.objects.public()


# Programmes, axes, decisions


@router.get("/programmes", response={200: page_of(ProgrammeOut), **ERRORS}, tags=["catalogue"])
def list_programmes(request, paging: Query[PageParams]):
    return paginate(
        request, published_programmes().order_by("slug"), paging, lambda ps: [to.programme(request, p) for p in ps]
    )


@router.get("/programmes/{slug}", response={200: ProgrammeOut, **ERRORS}, tags=["catalogue"])
def get_programme(request, slug: str):
    return to.programme(request, get_object_or_404(published_programmes(), slug=slug))


class ProgrammeFilter(Schema):
    programme: str | None = Field(None, max_length=50, pattern=SLUG, description="Programme slug, e.g. ciec.")


@router.get("/axes", response={200: page_of(AxisOut), **ERRORS}, tags=["catalogue"])
def list_axes(request, filters: Query[ProgrammeFilter], paging: Query[PageParams]):
    axes = Axis.objects.public().select_related("programme")
    if (programme := referenced_programme(filters.programme)) is not None:
        axes = axes.filter(programme=programme)
    return paginate(
        request, axes.order_by("programme__slug", "position"), paging, lambda rows: [to.axis(a) for a in rows]
    )


@router.get("/decisions", response={200: page_of(DecisionOut), **ERRORS}, tags=["catalogue"])
def list_decisions(request, filters: Query[ProgrammeFilter], paging: Query[PageParams]):
    decisions = Decision.objects.public().select_related("programme")
    if (programme := referenced_programme(filters.programme)) is not None:
        decisions = decisions.filter(programme=programme)
    ordered = decisions.order_by("programme__slug", "number")
    return paginate(request, ordered, paging, lambda rows: [to.decision(d) for d in rows])


# Measures and indicators


class MeasureFilters(ProgrammeFilter):
    axis: str | None = Field(None, max_length=100, pattern=SLUG, description="Axis slug.")
    decision: int | None = Field(None, ge=1, le=1000, description="Decision number, e.g. 2 for CIEC #2.")
    status: Literal[tuple(MeasureStatus.values)] | None = None  # type: ignore[valid-type]
    q: str | None = Text


def matching(query: str, kind: str) -> Q:
    """Rows whose search entry (key ``programme/slug``) matches ``query``."""
    condition = Q(pk__in=[])
    for key in search(query, Filters(kind=kind)).values_list("key", flat=True):
        programme, slug = key.split("/", 1)
        condition |= Q(programme__slug=programme, slug=slug)
    return condition


@router.get("/measures", response={200: page_of(MeasureOut), **ERRORS}, tags=["catalogue"])
def list_measures(request, filters: Query[MeasureFilters], paging: Query[PageParams]):
    measures = published_measures()
    if (programme := referenced_programme(filters.programme)) is not None:
        measures = measures.filter(programme=programme)
    if filters.axis is not None:
        measures = measures.filter(axis__slug=filters.axis)
    if filters.decision is not None:
        measures = measures.filter(decisions__number=filters.decision)
    if filters.status is not None:
        measures = measures.filter(status=filters.status)
    if filters.q:
        measures = measures.filter(matching(filters.q, Kind.MEASURE))
    ordered = with_progress_details(measures.distinct().order_by("programme__slug", "position"))
    return paginate(request, ordered, paging, lambda rows: [to.measure(request, m, progress_of(m)) for m in rows])


@router.get("/measures/{programme}/{slug}", response={200: MeasureOut, **ERRORS}, tags=["catalogue"])
def get_measure(request, programme: str, slug: str):
    measure = get_object_or_404(with_progress_details(published_measures()), programme__slug=programme, slug=slug)
    return to.measure(request, measure, progress_of(measure))


class IndicatorFilters(ProgrammeFilter):
    measure: str | None = Field(None, max_length=120, pattern=SLUG, description="Measure slug.")


def indicators():
    return Indicator.objects.public().select_related("measure__programme")


@router.get("/indicators", response={200: page_of(IndicatorOut), **ERRORS}, tags=["indicators"])
def list_indicators(request, filters: Query[IndicatorFilters], paging: Query[PageParams]):
    rows = indicators()
    if (programme := referenced_programme(filters.programme)) is not None:
        rows = rows.filter(measure__programme=programme)
    if filters.measure is not None:
        rows = rows.filter(measure__slug=filters.measure)
    ordered = rows.order_by("measure__programme__slug", "measure__position", "position", "slug")
    return paginate(request, ordered, paging, lambda page: [to.indicator(request, i) for i in page])


@router.get("/indicators/{programme}/{measure}/{slug}", response={200: IndicatorOut, **ERRORS}, tags=["indicators"])
def get_indicator(request, programme: str, measure: str, slug: str):
    indicator = get_object_or_404(indicators(), measure__programme__slug=programme, measure__slug=measure, slug=slug)
    return to.indicator(request, indicator)


def indicator_key(reference: str) -> int:
    """The key of a public indicator named programme/measure/slug; 404 when there is none."""
    parts = reference.split("/")
    found = (
        indicators()
        .filter(measure__programme__slug=parts[0], measure__slug=parts[1], slug=parts[2])
        .values_list("pk", flat=True)
        .first()
        if len(parts) == 3
        else None
    )
    if found is None:
        raise ApiError(404, f"No indicator {reference!r}.", "indicator")
    return found


def by_indicator_and_place(rows, filters):
    """The indicator, territory and level filters of values and territorial targets."""
    if filters.indicator is not None:
        # By its key, not its slugs: PostgreSQL then reads the (indicator, territory, date) index in
        # order; through the slugs it misjudged one indicator of ten million values as 83 rows and
        # sorted all 833,000 (2.6 s for the first page).
        rows = rows.filter(indicator_id=indicator_key(filters.indicator))
    if (territory := referenced_territory(filters.territory, "territory")) is not None:
        rows = rows.filter(territory=territory)
    if filters.level is not None:
        rows = rows.filter(territory__level=filters.level)
    return rows


class ObservationFilters(Schema):
    indicator: str | None = Field(
        None, max_length=300, pattern=INDICATOR, description="Indicator id: programme/measure/slug."
    )
    territory: str | None = Field(None, max_length=20, pattern=TERRITORY, description="Territory code, e.g. dep:36.")
    level: LevelCode | None = Field(None, description="Only territories of this level, e.g. dep.")
    within: str | None = Field(
        None, max_length=20, pattern=TERRITORY, description="Only territories below this one, e.g. reg:52."
    )
    date_from: datetime.date | None = Field(None, description="Values dated on or after (YYYY-MM-DD).")
    date_to: datetime.date | None = Field(None, description="Values dated on or before (YYYY-MM-DD).")


@router.get("/observations", response={200: page_of(ObservationOut), **ERRORS}, tags=["indicators"])
def list_observations(request, filters: Query[ObservationFilters], paging: Query[PageParams]):
    rows = by_indicator_and_place(Observation.objects.public().select_related("indicator__measure__programme"), filters)
    if (within := referenced_territory(filters.within, "within")) is not None:
        rows = rows.filter(territory__in=Territory.objects.within(within))
    if filters.date_from is not None:
        rows = rows.filter(date__gte=filters.date_from)
    if filters.date_to is not None:
        rows = rows.filter(date__lte=filters.date_to)
    return paginate(
        request,
        rows.order_by("indicator_id", "territory_id", "date"),
        paging,
        lambda page: [to.observation(o) for o in page],
    )


class TerritorialTargetFilters(ProgrammeFilter):
    indicator: str | None = Field(
        None, max_length=300, pattern=INDICATOR, description="Indicator id: programme/measure/slug."
    )
    territory: str | None = Field(None, max_length=20, pattern=TERRITORY, description="Territory code, e.g. dep:36.")
    level: LevelCode | None = Field(None, description="Only territories of this level, e.g. dep.")


def with_latest_and_progress(goals: list[TerritorialTarget]) -> list[dict]:
    """Each goal with its territory's latest published value (one query for the page) and the
    progress the territory page shows (``indicators.progress.compute`` with the goal)."""
    wanted = Q(pk__in=[])
    for goal in goals:
        wanted |= Q(indicator_id=goal.indicator_id, territory_id=goal.territory_id)
    latest: dict[tuple[int, str], Observation] = {}
    for value in Observation.objects.public().filter(wanted).order_by("indicator_id", "territory_id", "-date"):
        latest.setdefault((value.indicator_id, value.territory_id), value)
    rows = []
    for goal in goals:
        value = latest.get((goal.indicator_id, goal.territory_id))
        rows.append(to.territorial_target(goal, value, compute(goal.indicator, value, today(), goal=goal)))
    return rows


@router.get("/territorial-targets", response={200: page_of(TerritorialTargetOut), **ERRORS}, tags=["indicators"])
def list_territorial_targets(request, filters: Query[TerritorialTargetFilters], paging: Query[PageParams]):
    """Goals stated for one territory (initial value, target, deadline), with the territory's
    latest value and its progress against them: never against the national target."""
    rows = TerritorialTarget.objects.filter(indicator__in=indicators()).select_related(
        "indicator__measure__programme", "territory"
    )
    if (programme := referenced_programme(filters.programme)) is not None:
        rows = rows.filter(indicator__measure__programme=programme)
    ordered = by_indicator_and_place(rows, filters).order_by("indicator_id", "territory_id")
    return paginate(request, ordered, paging, with_latest_and_progress)


# Initiatives, organisations, fundings


class InitiativeFilters(ProgrammeFilter):
    measure: str | None = Field(None, max_length=120, pattern=SLUG, description="Measure slug.")
    territory: str | None = Field(
        None, max_length=20, pattern=TERRITORY, description="Territory code; initiatives there or below it."
    )
    q: str | None = Text


def initiative_rows(queryset):
    return queryset.select_related("programme").prefetch_related(
        "territories", "partners", "figures", Prefetch("measures", Measure.objects.public())
    )


@router.get("/initiatives", response={200: page_of(InitiativeOut), **ERRORS}, tags=["initiatives"])
def list_initiatives(request, filters: Query[InitiativeFilters], paging: Query[PageParams]):
    rows = published_initiatives()
    if (programme := referenced_programme(filters.programme)) is not None:
        rows = rows.filter(programme=programme)
    if filters.measure is not None:
        rows = rows.filter(measures__slug=filters.measure)
    if (territory := referenced_territory(filters.territory, "territory")) is not None:
        rows = rows.in_territory(territory)
    if filters.q:
        rows = rows.filter(matching(filters.q, Kind.INITIATIVE))
    ordered = initiative_rows(rows.distinct().order_by("programme__slug", "slug"))
    return paginate(request, ordered, paging, lambda page: [to.initiative(request, i) for i in page])


@router.get("/initiatives/{programme}/{slug}", response={200: InitiativeOut, **ERRORS}, tags=["initiatives"])
def get_initiative(request, programme: str, slug: str):
    initiative = get_object_or_404(initiative_rows(published_initiatives()), programme__slug=programme, slug=slug)
    return to.initiative(request, initiative)


@router.get("/organisations", response={200: page_of(OrganisationOut), **ERRORS}, tags=["initiatives"])
def list_organisations(request, paging: Query[PageParams]):
    return paginate(
        request, Organisation.objects.order_by("slug"), paging, lambda page: [to.organisation(o) for o in page]
    )


@router.get("/organisations/{slug}", response={200: OrganisationOut, **ERRORS}, tags=["initiatives"])
def get_organisation(request, slug: str):
    return to.organisation(get_object_or_404(Organisation, slug=slug))


class FundingFilters(ProgrammeFilter):
    measure: str | None = Field(None, max_length=120, pattern=SLUG, description="Measure slug (its own funding lines).")
    territory: str | None = Field(
        None, max_length=20, pattern=TERRITORY, description="Territory code of the funding line."
    )


@router.get("/fundings", response={200: page_of(FundingOut), **ERRORS}, tags=["initiatives"])
def list_fundings(request, filters: Query[FundingFilters], paging: Query[PageParams]):
    rows = Funding.objects.public().select_related("measure", "initiative", "funder")
    if (programme := referenced_programme(filters.programme)) is not None:
        rows = rows.filter(Q(measure__programme=programme) | Q(initiative__programme=programme))
    if filters.measure is not None:
        rows = rows.filter(measure__slug=filters.measure)
    if (territory := referenced_territory(filters.territory, "territory")) is not None:
        rows = rows.filter(territory=territory)
    return paginate(request, rows.order_by("pk"), paging, lambda page: [to.funding(f) for f in page])


# Territories, sources, search


class TerritoryFilters(Schema):
    level: LevelCode | None = Field(None, description="Only this level, e.g. dep.")
    within: str | None = Field(
        None, max_length=20, pattern=TERRITORY, description="Only territories below this one, e.g. reg:52."
    )
    q: str | None = Text


@router.get("/territories", response={200: page_of(TerritoryOut), **ERRORS}, tags=["territories"])
def list_territories(request, filters: Query[TerritoryFilters], paging: Query[PageParams]):
    rows = Territory.objects.filter(current=True)
    if filters.level is not None:
        rows = rows.filter(level=filters.level)
    if (within := referenced_territory(filters.within, "within")) is not None:
        rows = rows.within(within)
    if filters.q:
        codes = search(filters.q, Filters(kind=Kind.TERRITORY)).values_list("key", flat=True)
        rows = rows.filter(code__in=codes)
    return paginate(request, rows.order_by("code"), paging, lambda page: [to.territory(request, t) for t in page])


@router.get("/territories/{code}", response={200: TerritoryOut, **ERRORS}, tags=["territories"])
def get_territory(request, code: str):
    code = code if ":" in code or code == "fr" else Territory.code_from_slug(code)
    return to.territory(request, get_object_or_404(Territory, code=code))


class SourceFilters(Schema):
    document: str | None = Field(None, max_length=100, pattern=SLUG, description="Document slug.")


@router.get("/sources", response={200: page_of(SourceOut), **ERRORS}, tags=["sources"])
def list_sources(request, filters: Query[SourceFilters], paging: Query[PageParams]):
    rows = SourceLocator.objects.select_related("document")
    if filters.document is not None:
        rows = rows.filter(document__slug=filters.document)
    return paginate(request, rows.order_by("pk"), paging, lambda page: [to.source(s) for s in page])


@router.get("/sources/{source_id}", response={200: SourceOut, **ERRORS}, tags=["sources"])
def get_source(request, source_id: int):
    if not 1 <= source_id <= 2**62:
        raise ApiError(404, "Not found.")
    return to.source(get_object_or_404(SourceLocator.objects.select_related("document"), pk=source_id))


class SearchParams(Schema):
    q: str = Field(
        ..., min_length=1, max_length=200, pattern=NO_NUL, description="Words to find, accents and case ignored."
    )
    type: Literal[tuple(Kind.values)] | None = None  # type: ignore[valid-type]


@router.get("/search", response={200: page_of(SearchResultOut), **ERRORS}, tags=["search"])
def search_everything(request, params: Query[SearchParams], paging: Query[PageParams]):
    results = search(params.q, Filters(kind=params.type or ""))
    return paginate(
        request,
        results,
        paging,
        lambda page: [
            {
                "kind": e.kind,
                "key": e.key,
                "title": e.title,
                "detail": e.detail,
                "url": request.build_absolute_uri(e.url),
            }
            for e in page
        ],
    )
