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

from suivi.catalogue.models import Measure, MeasureStatus, Programme
from suivi.contributions.workflow import Status
from suivi.indicators.models import Aggregation, Direction, Indicator, Observation, TerritorialTarget
from suivi.initiatives.models import Funding, FundingStage, InitiativeFigure, Organisation, OrganisationKind
from suivi.sources.models import SourceDocument, SourceLocator
from suivi.sources.precision import DatePrecision, Qualifier


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Table Schema: string, integer, number, date, boolean
    description: str
    get: Callable[[object], object]
    required: bool = False
    codes: tuple[str, ...] = ()  # a coded column's allowed values (Table Schema enum)


def coded(name: str, choices, get: Callable[[object], object], required: bool = False) -> tuple[Column, Column]:
    """A stable code and, beside it, its French label.

    ``status`` = ``in_progress`` and ``status_libelle`` = ``en cours``.
    """
    labels = {code: str(label) for code, label in choices}
    listed = " ; ".join(f"{code} : {label}" for code, label in labels.items())
    return (
        Column(name, "string", f"Code stable ({listed}).", get, required, tuple(labels)),
        Column(
            f"{name}_libelle",
            "string",
            f"Libellé en français de {name}.",
            lambda row: labels.get(get(row), "") if get(row) else None,
            required,
        ),
    )


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
        "Les chapitres du programme.",
        [
            C("slug", "string", "Identifiant de l’axe.", lambda a: a.slug, True),
            C("position", "integer", "Rang dans le programme.", lambda a: a.position, True),
            C("name", "string", "Nom.", lambda a: a.name, True),
        ],
        lambda p: p.axes.order_by("position"),
        ["slug"],
    ),
    Table(
        "decisions",
        "Décisions",
        "Les réunions ou actes qui ont décidé les mesures.",
        [
            C("number", "integer", "Numéro de la décision (CIEC #1 : 1).", lambda d: d.number, True),
            C("name", "string", "Nom.", lambda d: d.name, True),
            C("date", "date", "Date.", lambda d: d.date, True),
            C("place", "string", "Lieu.", lambda d: d.place),
            C(
                "territory",
                "string",
                "Code du territoire (COG de l’Insee, typé : fr, reg:52, dep:36, com:36044).",
                lambda d: d.territory_id,
            ),
        ],
        lambda p: p.decisions.order_by("number"),
        ["number"],
    ),
    Table(
        "measures",
        "Mesures",
        "Les engagements du programme.",
        [
            C("slug", "string", "Identifiant de la mesure.", measure_key, True),
            C("axis", "string", "Identifiant de son axe.", lambda m: m.axis.slug, True),
            C("position", "integer", "Rang dans le programme.", lambda m: m.position, True),
            C("title", "string", "Titre.", lambda m: m.title, True),
            C("summary", "string", "Résumé en une phrase.", lambda m: m.summary),
            *coded("status", MeasureStatus.choices, lambda m: m.status, True),
            C("lead_ministry", "string", "Ministère pilote.", lambda m: m.lead_ministry),
            C(
                "decisions",
                "string",
                "Numéros des décisions qui la portent, séparés par |.",
                lambda m: joined(str(d.number) for d in m.decisions.all()),
            ),
            C(
                "partners",
                "string",
                "Identifiants de ses organisations partenaires, séparés par |.",
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
        "Ce qui montre l’avancement de chaque mesure, avec sa valeur initiale et sa cible.",
        [
            C("id", "string", "Identifiant : mesure/indicateur.", indicator_key, True),
            C("measure", "string", "Identifiant de la mesure.", lambda i: i.measure.slug, True),
            C("name", "string", "Nom.", lambda i: i.name, True),
            C("unit", "string", "Unité des valeurs.", lambda i: i.unit, True),
            *coded("direction", Direction.choices, lambda i: i.direction, True),
            *coded("aggregation", Aggregation.choices, lambda i: i.aggregation, True),
            C("baseline_value", "number", "Valeur initiale, telle qu’une source la donne.", lambda i: i.baseline_value),
            C(
                "baseline_date",
                "date",
                "Date de la valeur initiale (premier jour de sa période).",
                lambda i: i.baseline_date,
            ),
            C("target_value", "number", "Cible.", lambda i: i.target_value),
            C(
                "target_factor",
                "number",
                "Cible en multiple de la valeur initiale (0,5 = diviser par 2).",
                lambda i: i.target_factor,
            ),
            C("target_deadline", "date", "Échéance (premier jour de sa période).", lambda i: i.target_deadline),
            *coded("target_deadline_precision", DatePrecision.choices, lambda i: i.target_precision),
            C("target_sentence", "string", "L’objectif tel que le public le lit.", lambda i: i.target_sentence),
            C(
                "update_cadence_months",
                "integer",
                "Nombre de mois attendus entre deux valeurs.",
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
        "Les valeurs des indicateurs, par territoire et par date (valeurs publiées seulement).",
        [
            C(
                "indicator",
                "string",
                "Identifiant de l’indicateur (mesure/indicateur).",
                lambda o: indicator_key(o.indicator),
                True,
            ),
            C(
                "territory",
                "string",
                "Code du territoire (COG de l’Insee, typé : fr, reg:52, dep:36, com:36044).",
                lambda o: o.territory_id,
                True,
            ),
            C("territory_name", "string", "Nom du territoire.", lambda o: o.territory.name, True),
            C(
                "date",
                "date",
                "Date de la valeur : premier jour de sa période, voir date_precision "
                "(« décembre 2016 » : 2016-12-01, month).",
                lambda o: o.date,
                True,
            ),
            *coded("date_precision", DatePrecision.choices, lambda o: o.date_precision, True),
            C("period_start", "date", "Début de la période que couvre une valeur cumulée.", lambda o: o.period_start),
            C("value", "number", "Valeur, dans l’unité de l’indicateur.", lambda o: o.value, True),
            *coded("qualifier", Qualifier.choices, lambda o: o.qualifier, True),
            *coded("status", Status.choices, lambda o: o.status, True),
            C("source", "integer", "Identifiant de la source (table sources).", lambda o: o.source_id),
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
        "territorial_targets",
        "Objectifs territoriaux",
        "La valeur initiale et la cible d’un indicateur pour un territoire, quand une source les donne.",
        [
            C(
                "indicator",
                "string",
                "Identifiant de l’indicateur (mesure/indicateur).",
                lambda t: indicator_key(t.indicator),
                True,
            ),
            C(
                "territory",
                "string",
                "Code du territoire (COG de l’Insee, typé : fr, reg:52, dep:36, com:36044).",
                lambda t: t.territory_id,
                True,
            ),
            C("territory_name", "string", "Nom du territoire.", lambda t: t.territory.name, True),
            C("baseline_value", "number", "Valeur initiale.", lambda t: t.baseline_value),
            C(
                "baseline_date",
                "date",
                "Date de la valeur initiale : premier jour de sa période, voir baseline_precision.",
                lambda t: t.baseline_date,
            ),
            *coded("baseline_precision", DatePrecision.choices, lambda t: t.baseline_date and t.baseline_precision),
            C("target_value", "number", "Cible.", lambda t: t.target_value),
            C(
                "target_deadline",
                "date",
                "Échéance de la cible : premier jour de sa période, voir target_precision.",
                lambda t: t.target_deadline,
            ),
            *coded("target_precision", DatePrecision.choices, lambda t: t.target_deadline and t.target_precision),
            C("source", "integer", "Identifiant de la source (table sources).", lambda t: t.source_id),
            C("source_line", "integer", "Ligne du fichier source.", lambda t: t.source_line),
        ],
        lambda p: (
            TerritorialTarget.objects.filter(indicator__measure__in=p.measures.public())
            .select_related("indicator__measure", "territory")
            .order_by("indicator__measure__position", "indicator__position", "territory_id")
        ),
        ["indicator", "territory"],
    ),
    Table(
        "initiatives",
        "Initiatives locales",
        "Les exemples locaux du programme, rattachés à leurs lieux.",
        [
            C("slug", "string", "Identifiant.", lambda i: i.slug, True),
            C("title", "string", "Titre.", lambda i: i.title, True),
            C(
                "measures",
                "string",
                "Identifiants de ses mesures, séparés par |.",
                lambda i: joined(m.slug for m in i.measures.all()),
            ),
            C(
                "territories",
                "string",
                "Codes de ses territoires, séparés par |.",
                lambda i: joined(t.code for t in i.territories.all()),
            ),
            C(
                "partners",
                "string",
                "Identifiants de ses organisations partenaires, séparés par |.",
                lambda i: joined(o.slug for o in i.partners.all()),
            ),
            C("start_date", "date", "Début (premier jour de sa période).", lambda i: i.start_date),
            C("end_date", "date", "Fin (premier jour de sa période).", lambda i: i.end_date),
            C("source", "integer", "Identifiant de la source (table sources).", lambda i: i.source_id),
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
        "Les chiffres que chaque initiative locale donne d’elle-même.",
        [
            C("initiative", "string", "Identifiant de l’initiative.", lambda f: f.initiative.slug, True),
            C("position", "integer", "Rang dans l’initiative.", lambda f: f.position, True),
            C("label", "string", "Ce qui est compté.", lambda f: f.label, True),
            C("value", "number", "Valeur.", lambda f: f.value, True),
            C("unit", "string", "Unité.", lambda f: f.unit, True),
            *coded("qualifier", Qualifier.choices, lambda f: f.qualifier, True),
            C("date", "date", "Date (premier jour de sa période).", lambda f: f.date),
            C("source", "integer", "Identifiant de la source (table sources).", lambda f: f.source_id),
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
        "L’argent annoncé, engagé ou versé pour les mesures et les initiatives.",
        [
            C("id", "integer", "Identifiant.", lambda f: f.pk, True),
            C(
                "measure",
                "string",
                "Identifiant de la mesure (pour un financement de la mesure).",
                lambda f: f.measure.slug if f.measure_id else None,
            ),
            C(
                "initiative",
                "string",
                "Identifiant de l’initiative (pour un financement d’une initiative).",
                lambda f: f.initiative.slug if f.initiative_id else None,
            ),
            C(
                "part_of",
                "integer",
                "Identifiant de la ligne qui inclut celle-ci (les 100 M€ d’un milliard) : ne pas les additionner.",
                lambda f: f.part_of_id,
            ),
            C("label", "string", "Ce qui est financé.", lambda f: f.label, True),
            C("amount", "number", "Montant.", lambda f: f.amount, True),
            C("currency", "string", "Devise (ISO 4217).", lambda f: f.currency, True),
            *coded("qualifier", Qualifier.choices, lambda f: f.qualifier, True),
            C(
                "funder",
                "string",
                "Identifiant de l’organisation qui finance.",
                lambda f: f.funder.slug if f.funder_id else None,
            ),
            C("territory", "string", "Code du territoire.", lambda f: f.territory_id),
            *coded("stage", FundingStage.choices, lambda f: f.stage, True),
            C("date", "date", "Date (premier jour de sa période).", lambda f: f.date),
            C("source", "integer", "Identifiant de la source (table sources).", lambda f: f.source_id),
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
        "Les partenaires et les financeurs.",
        [
            C("slug", "string", "Identifiant.", lambda o: o.slug, True),
            C("name", "string", "Nom.", lambda o: o.name, True),
            C("acronym", "string", "Sigle.", lambda o: o.acronym),
            *coded("kind", OrganisationKind.choices, lambda o: o.kind, True),
            C("territory", "string", "Code du territoire.", lambda o: o.territory_id),
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
        "D’où vient chaque chiffre : un document, un endroit de ce document et les mots cités.",
        [
            C("id", "integer", "Identifiant.", lambda s: s.pk, True),
            C("document", "string", "Identifiant du document.", lambda s: s.document.slug, True),
            C("document_title", "string", "Titre du document.", lambda s: s.document.title, True),
            C("document_sha256", "string", "Empreinte SHA-256 du fichier du document.", lambda s: s.document.sha256),
            C("line_start", "integer", "Première ligne du passage.", lambda s: s.line_start),
            C("line_end", "integer", "Dernière ligne du passage.", lambda s: s.line_end),
            C("page", "integer", "Page.", lambda s: s.page),
            C("quote", "string", "Les mots cités.", lambda s: s.quote, True),
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
