"""Import territorial targets: each row an indicator's initial value and target for one territory.

The same readers as the values import (files, territory codes in every form, French numbers,
dates with their precision) and the same rules: every row is checked first, every error is
listed with its file, line and column, and one bad row means nothing is written; what is
written is one recorded change (history, change set), each target citing its file and line.
Re-importing the same file changes nothing. Targets are the catalogue's: the programme team
(or the operator at the server's shell) only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from suivi.catalogue.models import Programme
from suivi.contributions.recording import change
from suivi.contributions.rights import NotAllowed, Rights
from suivi.imports.engine import ERRORS_KEPT, Problem, document_for_file, file_entry, same_unit
from suivi.imports.mapping import Mapping, MappingError
from suivi.imports.parsing import CellError, DateReader, TerritoryReader, parse_value
from suivi.imports.reading import ReadError, open_table
from suivi.indicators.models import Indicator, TerritorialTarget
from suivi.sources.models import Origin, SourceLocator
from suivi.sources.precision import DatePrecision
from suivi.territories.folding import fold

QUOTE = "Objectifs territoriaux importés de ce fichier, un par ligne."
COMPARED = (
    "baseline_value",
    "baseline_date",
    "baseline_precision",
    "target_value",
    "target_deadline",
    "target_precision",
)


class TargetsRefused(Exception):
    def __init__(self, problems: list[Problem], count: int):
        self.problems, self.count = problems, count
        super().__init__(f"{count} error(s); nothing was written")


@dataclass
class TargetsResult:
    rows: int = 0
    new: int = 0
    changed: int = 0
    same: int = 0
    repeated: int = 0
    empty: int = 0  # rows with neither an initial value nor a target
    change_set: object = None
    dry_run: bool = False
    staged: list = field(default_factory=list, repr=False)


class _Reader:
    def __init__(self, programme: Programme, mapping: Mapping):
        self.programme, self.mapping = programme, mapping
        self.problems: list[Problem] = []
        self.count = 0
        self.empty = 0
        self.indicators: dict[str, Indicator | None] = {}
        for indicator in Indicator.objects.filter(measure__programme=programme).select_related("measure"):
            for key in {indicator.slug, f"{indicator.measure.slug}/{indicator.slug}", fold(indicator.name)}:
                self.indicators[key] = None if key in self.indicators else indicator  # None: ambiguous
        self.dates = DateReader(mapping)
        self.places = TerritoryReader(mapping)

    def problem(self, file: str, line: int | None, column: str, message: str) -> None:
        self.count += 1
        if len(self.problems) < ERRORS_KEPT:
            self.problems.append(Problem(file, line, column, message))

    def indicator(self, text: str) -> Indicator:
        text = text.strip()
        key = text if text in self.indicators else fold(text)
        if key not in self.indicators:
            raise CellError(f"indicateur « {text} » inconnu dans le programme {self.programme.slug}")
        if self.indicators[key] is None:
            raise CellError(f"« {text} » désigne plusieurs indicateurs : écrivez mesure/indicateur")
        return self.indicators[key]

    def number(self, text: str) -> Decimal | None:
        return parse_value(text)[0] if text.strip() else None

    def date(self, text: str) -> tuple | None:
        return self.dates(text) if text.strip() else None

    def read(self, index: int, entry: dict, found: dict) -> int:
        name = entry["name"]
        try:
            table = open_table(entry["path"], name=name, encoding=self.mapping.encoding,
                               delimiter=self.mapping.delimiter, sheet=self.mapping.sheet)  # fmt: skip
            columns = self.mapping.resolve_headers(table.header, name)
        except (ReadError, MappingError) as error:
            self.problem(name, None, "", str(error).removeprefix(f"{name}: "))
            return 0
        header, rows = table.header, 0
        try:
            for line, cells in table.rows:
                rows += 1
                self.row(index, name, header, columns, line, cells, found)
        except ReadError as error:
            self.problem(name, None, "", str(error).removeprefix(f"{name}: "))
        return rows

    def row(self, index, name, header, columns, line, cells, found) -> None:
        def cell(key: str) -> str:
            position = columns.get(key)
            return cells[position] if position is not None and position < len(cells) else ""

        if not any(c.strip() for c in cells):
            return
        before = self.count
        values = {}
        readers = {
            "indicator": self.indicator,
            "territory": lambda text: self.places(text),
            "baseline": self.number,
            "baseline_date": self.date,
            "target": self.number,
            "deadline": self.date,
        }
        for key, reader in readers.items():
            if key not in columns:
                values[key] = None
                continue
            try:
                values[key] = reader(cell(key))
            except CellError as error:
                self.problem(name, line, header[columns[key]], str(error))
        if self.count > before:
            return
        indicator, place = values["indicator"], values["territory"]
        unit = cell("unit").strip()
        unit = self.mapping.unit_aliases.get(indicator.slug, {}).get(unit, unit)
        if unit and not same_unit(unit, indicator.unit):
            column = header[columns["unit"]]
            self.problem(name, line, column, f"unité « {cell('unit')} » ; l’indicateur est en « {indicator.unit} »")
            return
        if values["baseline"] is None and values["target"] is None:
            self.empty += 1  # a territory the source gives no goal for: nothing to write
            return
        if values["target"] is not None and values["deadline"] is None and "deadline" in columns:
            self.problem(name, line, header[columns["deadline"]], "une cible sans échéance")
            return
        baseline_date, baseline_precision = values["baseline_date"] or (None, DatePrecision.DAY)
        deadline, deadline_precision = values["deadline"] or (None, DatePrecision.DAY)
        fields = {
            "baseline_value": values["baseline"],
            "baseline_date": baseline_date if values["baseline"] is not None else None,
            "baseline_precision": baseline_precision,
            "target_value": values["target"],
            "target_deadline": deadline if values["target"] is not None else None,
            "target_precision": deadline_precision,
        }
        key = (indicator.pk, place.pk)
        if key in found:
            first_file, first_line, first = found[key][:3]
            if first == fields and self.mapping.duplicates == "identical":
                found[key][4] += 1
                return
            what = "la même" if first == fields else "une autre"
            self.problem(name, line, "", f"{what} cible pour {indicator.slug} et {place.label} figure déjà "
                                         f"ligne {first_line} de {first_file} ; une seule par territoire")  # fmt: skip
            return
        found[key] = [name, line, fields, index, 0]


def import_targets(
    programme: Programme, paths: list, mapping: Mapping, actor=None, *, dry_run: bool = False, reason: str = ""
) -> TargetsResult:
    """Check every row of ``paths``, then write them all in one recorded change (or nothing).

    Raises ``TargetsRefused`` (the problems, with file, line and column) or ``NotAllowed``.
    """
    if actor is not None and not Rights.of(actor).can_edit_catalogue(programme.pk):
        raise NotAllowed("seule l’équipe du programme (éditeur) peut importer des objectifs")
    entries = [file_entry(p) for p in paths]
    reader = _Reader(programme, mapping)
    found: dict[tuple, list] = {}
    rows = sum(reader.read(index, entry, found) for index, entry in enumerate(entries))
    if reader.count:
        raise TargetsRefused(reader.problems, reader.count)
    result = TargetsResult(rows=rows, dry_run=dry_run, repeated=sum(f[4] for f in found.values()), empty=reader.empty)
    names = ", ".join(e["name"] for e in entries[:3]) + (" …" if len(entries) > 3 else "")
    with transaction.atomic():
        with change(actor, Origin.IMPORT, reason or f"Import des objectifs de {names}", programme) as record:
            existing = {
                (t.indicator_id, t.territory_id): t
                for t in TerritorialTarget.objects.filter(indicator__measure__programme=programme)
            }
            locators: dict[int, SourceLocator] = {}
            for key, (_name, line, fields, index, _repeated) in found.items():
                target = existing.get(key)
                if target is not None and all(getattr(target, f) == fields[f] for f in COMPARED):
                    result.same += 1
                    continue
                if index not in locators:
                    document = document_for_file(programme, entries[index])
                    locators[index], _ = SourceLocator.objects.get_or_create(
                        document=document, page=None, line_start=None, quote=QUOTE
                    )
                if target is None:
                    target = TerritorialTarget(indicator_id=key[0], territory_id=key[1])
                    result.new += 1
                else:
                    result.changed += 1
                for name, value in fields.items():
                    setattr(target, name, value)
                target.source, target.source_line = locators[index], line
                target.save()
            result.change_set = record.change_set if record.wrote else None
        if dry_run:
            transaction.set_rollback(True)
            result.change_set = None
    return result


def describe(result: TargetsResult) -> str:
    verb = "would be written" if result.dry_run else "written"
    repeated = f", {result.repeated} repeated rows counted once" if result.repeated else ""
    repeated += f", {result.empty} without initial value nor target" if result.empty else ""
    return (
        f"{result.rows} rows read{repeated}: {result.new} new targets, {result.changed} changed, "
        f"{result.same} unchanged; {result.new + result.changed} {verb}"
        + (f" (change set {result.change_set.pk})" if result.change_set else "")
    )
