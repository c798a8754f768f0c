"""How the columns of a file map to values: a small YAML document (docs/imports.md).

    format: suivi-import/1
    columns: {indicator: id_indicateur, territory: code_departement, date: date, value: valeur, unit: unite}
    territory: {level: dep, values: {national: fr}}
    date: {precision: month, convention: end}

Without a mapping file, the template's French headers (or their English names) are used.

``kind: targets`` maps a file of territorial targets instead (``import_targets``): each row an
indicator's initial value and target for one territory.

    format: suivi-import/1
    kind: targets
    columns: {indicator: id_indicateur, territory: code_departement, baseline: valeur_initiale,
              baseline_date: date_valeur_initiale, target: cible, deadline: date_cible, unit: unite}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from suivi.sources.precision import DatePrecision
from suivi.territories.models import Level

FORMAT = "suivi-import/1"
FIELDS = ("indicator", "territory", "date", "value", "unit", "qualifier", "status", "source", "comment")
REQUIRED = ("indicator", "territory", "date", "value")
KINDS = ("values", "targets")
TARGET_FIELDS = ("indicator", "territory", "baseline", "baseline_date", "target", "deadline", "unit")
TARGET_REQUIRED = ("indicator", "territory")
# Headers understood without a mapping file: the template's, then English ones.
DEFAULT_HEADERS = {
    "indicator": ("indicateur", "indicator", "id_indicateur"),
    "territory": ("territoire", "territory", "code_territoire"),
    "date": ("date",),
    "value": ("valeur", "value"),
    "unit": ("unite", "unité", "unit"),
    "qualifier": ("qualificatif", "qualifier"),
    "status": ("statut", "status"),
    "source": ("source",),
    "comment": ("commentaire", "comment"),
    "baseline": ("valeur_initiale", "baseline"),
    "baseline_date": ("date_valeur_initiale", "baseline_date"),
    "target": ("cible", "target"),
    "deadline": ("date_cible", "echeance", "échéance", "deadline"),
}
BARE_LEVELS = (Level.REGION, Level.DEPARTEMENT, Level.OVERSEAS_COLLECTIVITY, Level.EPCI, Level.COMMUNE)


class MappingError(ValueError):
    """A mapping document that cannot be used; the message names the file and the key."""


@dataclass
class Mapping:
    columns: dict[str, str] = field(default_factory=dict)  # field → header
    territory_level: str = ""  # how a bare code reads: reg, dep, ctom, epci, com ("" = guess safely)
    territory_level_column: str = ""  # or a column giving it per row
    territory_level_values: dict[str, str] = field(default_factory=dict)  # that column's values → level
    territory_values: dict[str, str] = field(default_factory=dict)  # cell → code ("national" → "fr")
    date_precision: str = ""  # "" = as written
    date_convention: str = "start"  # or "end": a day that ends its period stands for the period
    delimiter: str = ""
    encoding: str = ""
    sheet: str = ""
    duplicates: str = "error"  # or "identical": a row repeated with the same value counts once
    # Per indicator, another name the file gives its unit: {indicator: {unit in the file: unit}}.
    unit_aliases: dict[str, dict[str, str]] = field(default_factory=dict)
    kind: str = "values"  # or "targets"
    name: str = ""

    @property
    def fields(self) -> tuple[str, ...]:
        return TARGET_FIELDS if self.kind == "targets" else FIELDS

    @property
    def required(self) -> tuple[str, ...]:
        return TARGET_REQUIRED if self.kind == "targets" else REQUIRED

    @classmethod
    def default(cls) -> Mapping:
        return cls(name="modèle Suivi")

    @classmethod
    def load(cls, path: str | Path) -> Mapping:
        path = Path(path)
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            raise MappingError(f"{path}: cannot be read: {error}") from None
        return cls.from_dict(document, name=path.name)

    @classmethod
    def from_dict(cls, document, name: str = "") -> Mapping:
        where = name or "mapping"
        if not isinstance(document, dict):
            raise MappingError(f"{where}: expected a mapping document (format: {FORMAT})")
        if document.get("format") != FORMAT:
            raise MappingError(f"{where}: format: expected {FORMAT!r}, found {document.get('format')!r}")
        unknown = set(document) - {
            "format",
            "kind",
            "columns",
            "territory",
            "date",
            "delimiter",
            "encoding",
            "sheet",
            "duplicates",
            "unit_aliases",
        }
        if unknown:
            raise MappingError(f"{where}: unknown key(s): {', '.join(sorted(unknown))}")
        kind = str(document.get("kind") or "values")
        if kind not in KINDS:
            raise MappingError(f"{where}: kind: expected {' or '.join(KINDS)}, found {kind!r}")
        known = TARGET_FIELDS if kind == "targets" else FIELDS
        columns = document.get("columns") or {}
        if not isinstance(columns, dict):
            raise MappingError(f"{where}: columns: expected field: header pairs")
        for key, header in columns.items():
            if key not in known:
                raise MappingError(f"{where}: columns.{key}: unknown field (known: {', '.join(known)})")
            if not isinstance(header, str) or not header:
                raise MappingError(f"{where}: columns.{key}: expected a column header")
        territory = document.get("territory") or {}
        level = str(territory.get("level") or "")
        if level and level not in BARE_LEVELS:
            raise MappingError(f"{where}: territory.level: {level!r} is not one of {', '.join(BARE_LEVELS)}")
        level_values = {str(k): str(v) for k, v in (territory.get("level_values") or {}).items()}
        for key, value in level_values.items():
            if value not in (*BARE_LEVELS, Level.COUNTRY):
                raise MappingError(f"{where}: territory.level_values.{key}: {value!r} is not a level")
        date = document.get("date") or {}
        precision = str(date.get("precision") or "")
        if precision and precision not in DatePrecision.values:
            raise MappingError(
                f"{where}: date.precision: {precision!r} is not one of {', '.join(DatePrecision.values)}"
            )
        convention = str(date.get("convention") or "start")
        if convention not in ("start", "end"):
            raise MappingError(f"{where}: date.convention: expected start or end, found {convention!r}")
        encoding = str(document.get("encoding") or "")
        if encoding and encoding.lower() not in ("utf-8", "latin-1", "iso-8859-1", "cp1252"):
            raise MappingError(f"{where}: encoding: expected utf-8, latin-1 or cp1252")
        duplicates = str(document.get("duplicates") or "error")
        if duplicates not in ("error", "identical"):
            raise MappingError(f"{where}: duplicates: expected error or identical, found {duplicates!r}")
        aliases = document.get("unit_aliases") or {}
        if not isinstance(aliases, dict) or not all(isinstance(v, dict) for v in aliases.values()):
            raise MappingError(f"{where}: unit_aliases: expected {{indicator: {{unit in the file: unit}}}}")
        return cls(
            kind=kind,
            unit_aliases={str(k): {str(a): str(b) for a, b in v.items()} for k, v in aliases.items()},
            duplicates=duplicates,
            columns={k: str(v) for k, v in columns.items()},
            territory_level=level,
            territory_level_column=str(territory.get("level_column") or ""),
            territory_level_values=level_values,
            territory_values={str(k): str(v) for k, v in (territory.get("values") or {}).items()},
            date_precision=precision,
            date_convention=convention,
            delimiter=str(document.get("delimiter") or ""),
            encoding=encoding,
            sheet=str(document.get("sheet") or ""),
            name=name,
        )

    def as_dict(self) -> dict:
        return {
            "format": FORMAT,
            "kind": self.kind,
            "columns": self.columns,
            "territory": {
                "level": self.territory_level,
                "level_column": self.territory_level_column,
                "level_values": self.territory_level_values,
                "values": self.territory_values,
            },
            "date": {"precision": self.date_precision, "convention": self.date_convention},
            "delimiter": self.delimiter,
            "encoding": self.encoding,
            "sheet": self.sheet,
            "duplicates": self.duplicates,
            "unit_aliases": self.unit_aliases,
        }

    def resolve_headers(self, headers: list[str], file: str) -> dict[str, int]:
        """Field → column index for this file's header row; ``MappingError`` naming what is missing."""
        positions = {h.strip(): i for i, h in enumerate(headers) if h is not None}
        folded = {h.strip().lower(): i for i, h in enumerate(headers) if h is not None}
        found: dict[str, int] = {}
        for key in self.fields:
            if key in self.columns:
                header = self.columns[key]
                if header not in positions:
                    raise MappingError(
                        f"{file}: line 1: column {header!r} (for {key}) is not in the header "
                        f"({', '.join(h for h in headers if h)})"
                    )
                found[key] = positions[header]
            elif not self.columns:
                for candidate in DEFAULT_HEADERS[key]:
                    if candidate in folded:
                        found[key] = folded[candidate]
                        break
        missing = [key for key in self.required if key not in found]
        if missing:
            expected = "; ".join(f"{key}: {' / '.join(DEFAULT_HEADERS[key])}" for key in missing)
            raise MappingError(
                f"{file}: line 1: no column for {', '.join(missing)} "
                f"(expected headers {expected}, or give a mapping file)"
            )
        if self.territory_level_column:
            if self.territory_level_column not in positions:
                raise MappingError(f"{file}: line 1: column {self.territory_level_column!r} is not in the header")
            found["territory_level"] = positions[self.territory_level_column]
        return found
