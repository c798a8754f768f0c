"""What the API returns: one schema per resource, and the error body."""

from __future__ import annotations

import datetime

from ninja import Field, Schema


class ErrorDetail(Schema):
    status: int
    message: str
    parameter: str | None = None


class Error(Schema):
    error: ErrorDetail


class ProgrammeOut(Schema):
    slug: str
    name: str
    short_name: str
    description: str
    url: str
    page: str


class AxisOut(Schema):
    programme: str
    slug: str
    position: int
    name: str
    description: str


class DecisionOut(Schema):
    programme: str
    number: int
    name: str
    date: datetime.date
    place: str
    territory: str | None


class ProgressOut(Schema):
    status: str
    label: str
    percent: int | None


class MeasureOut(Schema):
    programme: str
    slug: str
    axis: str
    position: int
    title: str
    summary: str
    body: str
    status: str
    lead_ministry: str
    themes: list[str]
    decisions: list[int]
    partners: list[str]
    progress: ProgressOut
    page: str


class BaselineOut(Schema):
    value: float
    date: datetime.date | None
    date_precision: str


class TargetOut(Schema):
    value: float | None
    factor: float | None
    deadline: datetime.date | None
    deadline_precision: str
    sentence: str


class IndicatorOut(Schema):
    id: str
    programme: str
    measure: str
    slug: str
    name: str
    description: str
    unit: str
    direction: str
    aggregation: str
    update_cadence_months: int
    baseline: BaselineOut | None
    target: TargetOut | None
    page: str


class GoalBaselineOut(Schema):
    value: float
    date: datetime.date | None
    date_precision: str


class GoalTargetOut(Schema):
    value: float
    deadline: datetime.date | None
    deadline_precision: str


class LatestOut(Schema):
    value: float
    qualifier: str
    date: datetime.date
    date_precision: str


class TerritorialTargetOut(Schema):
    indicator: str
    territory: str
    territory_name: str
    baseline: GoalBaselineOut | None
    target: GoalTargetOut | None
    latest: LatestOut | None
    progress: ProgressOut
    source: int | None
    source_line: int | None


class ObservationOut(Schema):
    indicator: str
    territory: str
    date: datetime.date
    date_precision: str
    period_start: datetime.date | None
    value: float
    qualifier: str
    status: str
    source: int | None


class FigureOut(Schema):
    label: str
    value: float
    unit: str
    qualifier: str
    date: datetime.date | None
    date_precision: str


class InitiativeOut(Schema):
    programme: str
    slug: str
    title: str
    body: str
    measures: list[str]
    territories: list[str]
    partners: list[str]
    start_date: datetime.date | None
    end_date: datetime.date | None
    figures: list[FigureOut]
    source: int | None
    page: str


class OrganisationOut(Schema):
    slug: str
    name: str
    acronym: str
    kind: str
    territory: str | None


class FundingOut(Schema):
    id: int
    measure: str | None
    initiative: str | None
    part_of: int | None = Field(None, description="Id of the funding line that includes this one: do not add them up.")
    label: str
    amount: float
    currency: str
    qualifier: str
    funder: str | None
    territory: str | None
    stage: str
    date: datetime.date | None
    date_precision: str
    source: int | None


class TerritoryOut(Schema):
    code: str
    level: str
    insee_code: str
    name: str
    label: str
    parent: str | None
    departement: str | None
    region: str | None
    population: int | None
    current: bool
    page: str


class DocumentOut(Schema):
    slug: str
    title: str
    publisher: str
    published_on: datetime.date | None
    url: str
    sha256: str


class SourceOut(Schema):
    id: int
    document: DocumentOut
    line_start: int | None
    line_end: int | None
    page: int | None
    quote: str


class SearchResultOut(Schema):
    kind: str
    key: str
    title: str
    detail: str
    url: str
