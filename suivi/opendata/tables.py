"""The open data tables of a programme: their columns (with Table Schema types) and rows.

Each table is declared once here; CSV, JSON, XLSX and the Table Schema descriptors are
all written from these declarations, so they cannot disagree.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q

from suivi.catalogue.models import Measure, Programme
from suivi.indicators.models import Indicator, Observation
from suivi.initiatives.models import Funding, InitiativeFigure, Organisation
from suivi.sources.models import SourceDocument, SourceLocator


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Table Schema: string, integer, number, date, boolean
    description: str
    get: Callable[[object], object]
    required: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    columns: list[Column]
    rows: Callable[[Programme], Iterable]
    primary_key: list[str] = field(default_factory=list)

    def records(self, programme: Programme) -> Iterable[list]:
        for row in self.rows(programme):
            yield [column.get(row) for column in self.columns]


def joined(values: Iterable[str]) -> str:
    """Lists in one cell, separated by ``|`` (a character no slug or code holds)."""
    return "|".join(values)


def measure_key(measure: Measure) -> str:
    return measure.slug


def indicator_key(indicator: Indicator) -> str:
    return f"{indicator.measure.slug}/{indicator.slug}"


def published_measures(programme: Programme):
    return programme.measures.public()


def published_initiatives(programme: Programme):
    return programme.initiatives.public()


C = Column
TABLES: list[Table] = [
    Table(
        "axes",
        "Axes",
        "The chapters of the programme.",
        [
            C("slug", "string", "Identifier of the axis.", lambda a: a.slug, True),
            C("position", "integer", "Rank in the programme.", lambda a: a.position, True),
            C("name", "string", "Name.", lambda a: a.name, True),
        ],
        lambda p: p.axes.order_by("position"),
        ["slug"],
    ),
    Table(
        "decisions",
        "Décisions",
        "The meetings or acts that decided the measures.",
        [
            C("number", "integer", "Number of the decision (CIEC #1 is 1).", lambda d: d.number, True),
            C("name", "string", "Name.", lambda d: d.name, True),
            C("date", "date", "Date.", lambda d: d.date, True),
            C("place", "string", "Place.", lambda d: d.place),
            C("territory", "string", "Territory code (INSEE COG, typed).", lambda d: d.territory_id),
        ],
        lambda p: p.decisions.order_by("number"),
        ["number"],
    ),
    Table(
        "measures",
        "Mesures",
        "The commitments of the programme.",
        [
            C("slug", "string", "Identifier of the measure.", measure_key, True),
            C("axis", "string", "Slug of its axis.", lambda m: m.axis.slug, True),
            C("position", "integer", "Rank in the programme.", lambda m: m.position, True),
            C("title", "string", "Title.", lambda m: m.title, True),
            C("summary", "string", "One-sentence summary.", lambda m: m.summary),
            C("status", "string", "planned, in_progress, done or abandoned.", lambda m: m.status, True),
            C("lead_ministry", "string", "Lead ministry.", lambda m: m.lead_ministry),
            C(
                "decisions",
                "string",
                "Numbers of the decisions that carry it, separated by |.",
                lambda m: joined(str(d.number) for d in m.decisions.all()),
            ),
            C(
                "partners",
                "string",
                "Slugs of its partner organisations, separated by |.",
                lambda m: joined(o.slug for o in m.partners.all()),
            ),
        ],
        lambda p: (
            published_measures(p).select_related("axis").prefetch_related("decisions", "partners").order_by("position")
        ),
        ["slug"],
    ),
    Table(
        "indicators",
        "Indicateurs",
        "What shows each measure's progress, with its baseline and target.",
        [
            C("id", "string", "Identifier: measure/slug.", indicator_key, True),
            C("measure", "string", "Slug of the measure.", lambda i: i.measure.slug, True),
            C("name", "string", "Name.", lambda i: i.name, True),
            C("unit", "string", "Unit of the values.", lambda i: i.unit, True),
            C("direction", "string", "increase (higher is better) or decrease.", lambda i: i.direction, True),
            C(
                "aggregation",
                "string",
                "How territorial values combine: sum, mean or none.",
                lambda i: i.aggregation,
                True,
            ),
            C("baseline_value", "number", "Baseline value.", lambda i: i.baseline_value),
            C("baseline_date", "date", "Date of the baseline (first day of its period).", lambda i: i.baseline_date),
            C("target_value", "number", "Target value.", lambda i: i.target_value),
            C(
                "target_factor",
                "number",
                "Target as a multiple of the baseline (0.5 = halve).",
                lambda i: i.target_factor,
            ),
            C("target_deadline", "date", "Deadline (first day of its period).", lambda i: i.target_deadline),
            C("target_deadline_precision", "string", "day, month, quarter or year.", lambda i: i.target_precision),
            C("target_sentence", "string", "The target as the public reads it.", lambda i: i.target_sentence),
            C(
                "update_cadence_months",
                "integer",
                "Expected months between values.",
                lambda i: i.update_cadence_months,
                True,
            ),
        ],
        lambda p: (
            Indicator.objects.filter(measure__in=published_measures(p))
            .select_related("measure")
            .order_by("measure__position", "position", "slug")
        ),
        ["id"],
    ),
    Table(
        "observations",
        "Valeurs",
        "The values of the indicators, by territory and date.",
        [
            C("indicator", "string", "Indicator id (measure/slug).", lambda o: indicator_key(o.indicator), True),
            C(
                "territory",
                "string",
                "Territory code (INSEE COG, typed: fr, reg:52, dep:36, com:36044).",
                lambda o: o.territory_id,
                True,
            ),
            C("territory_name", "string", "Territory name.", lambda o: o.territory.name, True),
            C("date", "date", "Date of the value (first day of its period).", lambda o: o.date, True),
            C("date_precision", "string", "day, month, quarter or year.", lambda o: o.date_precision, True),
            C("period_start", "date", "Start of the period a cumulative value covers.", lambda o: o.period_start),
            C("value", "number", "Value, in the indicator's unit.", lambda o: o.value, True),
            C(
                "qualifier",
                "string",
                "exact, more_than, less_than, at_least, at_most, about or nearly.",
                lambda o: o.qualifier,
                True,
            ),
            C("status", "string", "Workflow status: always published in this file.", lambda o: o.status, True),
            C("source", "integer", "Id of the source (table sources).", lambda o: o.source_id),
        ],
        lambda p: (
            Observation.objects.public()
            .filter(indicator__measure__programme=p)
            .select_related("indicator__measure", "territory")
            .order_by("indicator__measure__position", "indicator__position", "territory_id", "date")
        ),
        ["indicator", "territory", "date"],
    ),
    Table(
        "initiatives",
        "Initiatives locales",
        "Local examples of the programme, tied to places.",
        [
            C("slug", "string", "Identifier.", lambda i: i.slug, True),
            C("title", "string", "Title.", lambda i: i.title, True),
            C(
                "measures",
                "string",
                "Slugs of its measures, separated by |.",
                lambda i: joined(m.slug for m in i.measures.all()),
            ),
            C(
                "territories",
                "string",
                "Territory codes, separated by |.",
                lambda i: joined(t.code for t in i.territories.all()),
            ),
            C(
                "partners",
                "string",
                "Slugs of its partner organisations, separated by |.",
                lambda i: joined(o.slug for o in i.partners.all()),
            ),
            C("start_date", "date", "Start (first day of its period).", lambda i: i.start_date),
            C("end_date", "date", "End (first day of its period).", lambda i: i.end_date),
            C("source", "integer", "Id of the source (table sources).", lambda i: i.source_id),
        ],
        lambda p: (
            published_initiatives(p)
            .prefetch_related(
                Prefetch("measures", Measure.objects.public().order_by("position")), "territories", "partners"
            )
            .order_by("slug")
        ),
        ["slug"],
    ),
    Table(
        "initiative_figures",
        "Chiffres des initiatives",
        "The numbers each local initiative states about itself.",
        [
            C("initiative", "string", "Slug of the initiative.", lambda f: f.initiative.slug, True),
            C("position", "integer", "Rank within the initiative.", lambda f: f.position, True),
            C("label", "string", "What is counted.", lambda f: f.label, True),
            C("value", "number", "Value.", lambda f: f.value, True),
            C("unit", "string", "Unit.", lambda f: f.unit, True),
            C(
                "qualifier",
                "string",
                "exact, more_than, less_than, at_least, at_most, about or nearly.",
                lambda f: f.qualifier,
                True,
            ),
            C("date", "date", "Date (first day of its period).", lambda f: f.date),
            C("source", "integer", "Id of the source (table sources).", lambda f: f.source_id),
        ],
        lambda p: (
            InitiativeFigure.objects.filter(initiative__in=published_initiatives(p))
            .select_related("initiative")
            .order_by("initiative__slug", "position")
        ),
        ["initiative", "position"],
    ),
    Table(
        "fundings",
        "Financements",
        "Money announced, committed or paid for the measures and initiatives.",
        [
            C("id", "integer", "Identifier.", lambda f: f.pk, True),
            C(
                "measure",
                "string",
                "Slug of the measure (for a measure's own funding).",
                lambda f: f.measure.slug if f.measure_id else None,
            ),
            C(
                "initiative",
                "string",
                "Slug of the initiative (for an initiative's funding).",
                lambda f: f.initiative.slug if f.initiative_id else None,
            ),
            C(
                "part_of",
                "integer",
                "Id of the funding line that includes this one (the €100 M of a €1 bn): do not add them up.",
                lambda f: f.part_of_id,
            ),
            C("label", "string", "What it funds.", lambda f: f.label, True),
            C("amount", "number", "Amount.", lambda f: f.amount, True),
            C("currency", "string", "ISO 4217 currency.", lambda f: f.currency, True),
            C("qualifier", "string", "exact, more_than, … as stated.", lambda f: f.qualifier, True),
            C(
                "funder",
                "string",
                "Slug of the funding organisation.",
                lambda f: f.funder.slug if f.funder_id else None,
            ),
            C("territory", "string", "Territory code.", lambda f: f.territory_id),
            C("stage", "string", "announced, committed or paid.", lambda f: f.stage, True),
            C("date", "date", "Date (first day of its period).", lambda f: f.date),
            C("source", "integer", "Id of the source (table sources).", lambda f: f.source_id),
        ],
        lambda p: (
            Funding.objects.filter(Q(measure__in=published_measures(p)) | Q(initiative__in=published_initiatives(p)))
            .select_related("measure", "initiative", "funder")
            .order_by("pk")
        ),
        ["id"],
    ),
    Table(
        "organisations",
        "Organisations",
        "Partners and funders.",
        [
            C("slug", "string", "Identifier.", lambda o: o.slug, True),
            C("name", "string", "Name.", lambda o: o.name, True),
            C("acronym", "string", "Acronym.", lambda o: o.acronym),
            C("kind", "string", "state, agency, local, association, company, public or other.", lambda o: o.kind, True),
            C("territory", "string", "Territory code.", lambda o: o.territory_id),
        ],
        lambda p: (
            Organisation.objects.filter(
                Q(measures__programme=p)
                | Q(initiatives__programme=p)
                | Q(fundings__measure__programme=p)
                | Q(fundings__initiative__programme=p)
            )
            .distinct()
            .order_by("slug")
        ),
        ["slug"],
    ),
    Table(
        "sources",
        "Sources",
        "Where each figure comes from: a document and a place in it, with the words quoted.",
        [
            C("id", "integer", "Identifier.", lambda s: s.pk, True),
            C("document", "string", "Slug of the document.", lambda s: s.document.slug, True),
            C("document_title", "string", "Title of the document.", lambda s: s.document.title, True),
            C("document_sha256", "string", "SHA-256 of the document file.", lambda s: s.document.sha256),
            C("line_start", "integer", "First line of the passage.", lambda s: s.line_start),
            C("line_end", "integer", "Last line of the passage.", lambda s: s.line_end),
            C("page", "integer", "Page.", lambda s: s.page),
            C("quote", "string", "The words quoted.", lambda s: s.quote, True),
        ],
        lambda p: (
            SourceLocator.objects.filter(
                document__in=SourceDocument.objects.filter(locators__in=published_measures(p).values("source"))
            )
            .select_related("document")
            .order_by("pk")
        ),
        ["id"],
    ),
]
TABLES_BY_NAME = {table.name: table for table in TABLES}


def cell(value: object) -> object:
    """A value as JSON and spreadsheets want it: numbers as numbers, dates as ISO text, None kept."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value
