"""Load France's geography from the ``@etalab/decoupage-administratif`` npm package.

The load is idempotent and all-or-nothing: it compares the package with the
database, writes only what differs in one transaction, and never deletes a
territory (one the package no longer lists is marked ``current=False``).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from suivi.territories.folding import fold
from suivi.territories.models import COUNTRY_CODE, Level, Territory, TerritoryRelease, make_code
from suivi.territories.signals import territories_loaded

PACKAGE = "@etalab/decoupage-administratif"
DATA_FILES = ("regions.json", "departements.json", "communes.json", "epci.json")
# Fields compared to decide whether a row changed.
FIELDS = (
    "level",
    "insee_code",
    "name",
    "name_folded",
    "parent_id",
    "departement_id",
    "region_id",
    "zone",
    "population",
    "siren",
    "postal_codes",
    "epci_kind",
    "current",
)
COMMUNE_LEVELS = {
    "commune-actuelle": Level.COMMUNE,
    "commune-deleguee": Level.DELEGATED_COMMUNE,
    "commune-associee": Level.ASSOCIATED_COMMUNE,
    "arrondissement-municipal": Level.MUNICIPAL_ARRONDISSEMENT,
}

Progress = Callable[[str], None]


class TerritoryDataError(Exception):
    """The package is missing or does not hold what we expect; names the file and record."""


@dataclass
class LoadReport:
    version: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    members_added: int = 0
    members_removed: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.retired or self.members_added or self.members_removed)


def default_source_dir() -> Path:
    return Path(settings.NODE_MODULES_DIR) / PACKAGE


def _read_json(path: Path) -> list[dict]:
    if not path.exists():
        raise TerritoryDataError(f"{path}: file not found. Run `npm ci` to install {PACKAGE}.")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise TerritoryDataError(f"{path}: line {exc.lineno}: invalid JSON ({exc.msg}).") from None


def _row(level: str, insee: str, name: str, **extra) -> dict:
    row = {
        "code": make_code(level, insee),
        "level": level,
        "insee_code": "" if level == Level.COUNTRY else insee,
        "name": name,
        "name_folded": fold(name),
        "parent_id": None,
        "departement_id": None,
        "region_id": None,
        "zone": "",
        "population": None,
        "siren": "",
        "postal_codes": [],
        "epci_kind": "",
        "current": True,
    }
    row.update(extra)
    return row


def read_package(source_dir: Path) -> tuple[str, str, dict[str, dict], set[tuple[str, str]]]:
    """Return (version, checksum, rows by code, EPCI membership pairs) from the package files."""
    manifest = source_dir / "package.json"
    if not manifest.exists():
        raise TerritoryDataError(f"{manifest}: file not found. Run `npm ci` to install {PACKAGE}.")
    version = json.loads(manifest.read_text())["version"]
    digest = hashlib.sha256()
    data: dict[str, list[dict]] = {}
    for name in DATA_FILES:
        path = source_dir / "data" / name
        data[name] = _read_json(path)
        digest.update(path.read_bytes())

    rows: dict[str, dict] = {COUNTRY_CODE: _row(Level.COUNTRY, "", "France")}
    state_level: dict[str, str] = {}  # INSEE code of a région/COM → its typed code
    for reg in data["regions.json"]:
        level = Level.OVERSEAS_COLLECTIVITY if reg["zone"] == "com" else Level.REGION
        row = _row(level, reg["code"], reg["nom"], parent_id=COUNTRY_CODE, zone=reg["zone"])
        rows[row["code"]] = row
        state_level[reg["code"]] = row["code"]

    dep_codes: dict[str, str] = {}  # INSEE code of a département/COM → its typed code
    for i, dep in enumerate(data["departements.json"], start=1):
        if dep["zone"] == "com":
            dep_codes[dep["code"]] = make_code(Level.OVERSEAS_COLLECTIVITY, dep["code"])
            continue
        region = state_level.get(dep["region"])
        if region is None:
            raise TerritoryDataError(
                f"departements.json: record {i} ({dep['code']}): unknown region {dep['region']!r}."
            )
        row = _row(Level.DEPARTEMENT, dep["code"], dep["nom"], parent_id=region, region_id=region, zone=dep["zone"])
        rows[row["code"]] = row
        dep_codes[dep["code"]] = row["code"]

    for i, com in enumerate(data["communes.json"], start=1):
        level = COMMUNE_LEVELS.get(com["type"])
        dep = dep_codes.get(com.get("departement", ""))
        if level is None or dep is None:
            raise TerritoryDataError(
                f"communes.json: record {i} ({com.get('code')}): unknown type {com.get('type')!r} "
                f"or département {com.get('departement')!r}."
            )
        region = rows[dep]["region_id"] if dep.startswith("dep:") else None
        if level == Level.COMMUNE:
            parent = dep
        elif level == Level.MUNICIPAL_ARRONDISSEMENT:
            parent = make_code(Level.COMMUNE, com["commune"])
        else:
            parent = make_code(Level.COMMUNE, com["chefLieu"])
        row = _row(
            level,
            com["code"],
            com["nom"],
            parent_id=parent,
            departement_id=dep,
            region_id=region,
            zone=com["zone"],
            population=com.get("population"),
            siren=com.get("siren", ""),
            postal_codes=com.get("codesPostaux", []),
        )
        rows[row["code"]] = row

    members: set[tuple[str, str]] = set()
    for i, epci in enumerate(data["epci.json"], start=1):
        code = make_code(Level.EPCI, epci["code"])
        member_codes = [make_code(Level.COMMUNE, m["code"]) for m in epci["membres"]]
        unknown = [m for m in member_codes if m not in rows]
        if unknown:
            raise TerritoryDataError(f"epci.json: record {i} ({epci['code']}): unknown member communes {unknown[:3]}.")
        # An EPCI hangs under the département holding most of its members (a few cross borders).
        dep = Counter(rows[m]["departement_id"] for m in member_codes).most_common(1)[0][0]
        rows[code] = _row(
            Level.EPCI,
            epci["code"],
            epci["nom"],
            parent_id=dep,
            departement_id=dep,
            region_id=rows[dep]["region_id"],
            population=epci.get("populationTotale"),
            siren=epci["code"],
            epci_kind=epci.get("type", ""),
        )
        members.update((code, m) for m in member_codes)

    for code, row in rows.items():
        if row["parent_id"] is not None and row["parent_id"] not in rows:
            raise TerritoryDataError(f"{code}: parent {row['parent_id']} is not in the package.")
    return version, digest.hexdigest(), rows, members


class LoadInProgress(Exception):
    """Another load of the territories (or another long write) holds the database."""


LOCK_KEY = 0x5375_6976  # "Suiv": the advisory lock of a territories load on PostgreSQL


def _lock() -> None:
    """One load at a time. PostgreSQL: an advisory lock, refused at once if taken. SQLite: the
    write lock that the IMMEDIATE transaction takes, waited for up to the connection's timeout."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [LOCK_KEY])
            if not cursor.fetchone()[0]:
                raise LoadInProgress(
                    "Another load_territories is running on this database; nothing was changed. "
                    "Run it again once that one has finished."
                )
    # SQLite: the settings open every transaction with BEGIN IMMEDIATE, which takes the write
    # lock at once; a second load waits for it, then stops with "database is locked" (the
    # command turns that into a clear message).


def _update_in_bulk(territories: list[Territory]) -> None:
    """Changed rows through a temporary table and one ``UPDATE … FROM`` (Django's bulk_update
    writes one CASE per row and column: minutes for a population refresh of every commune)."""
    table = Territory._meta.db_table
    columns = [Territory._meta.get_field(name).column for name in FIELDS]
    ops = connection.ops
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS suivi_territory_refresh")
        cursor.execute(
            f"CREATE TEMPORARY TABLE suivi_territory_refresh AS "
            f"SELECT code, {', '.join(columns)} FROM {table} WHERE 1 = 0"
        )
        placeholders = ", ".join(["%s"] * (len(columns) + 1))
        rows = []
        for territory in territories:
            row = [territory.code]
            for name in FIELDS:
                field = Territory._meta.get_field(name)
                row.append(field.get_db_prep_save(getattr(territory, field.attname), connection))
            rows.append(row)
        for batch in _batches(rows, 5000):
            cursor.executemany(
                f"INSERT INTO suivi_territory_refresh (code, {', '.join(columns)}) VALUES ({placeholders})", batch
            )
        assignments = ", ".join(f"{ops.quote_name(c)} = r.{ops.quote_name(c)}" for c in columns)
        cursor.execute(f"UPDATE {table} SET {assignments} FROM suivi_territory_refresh r WHERE {table}.code = r.code")
        cursor.execute("DROP TABLE suivi_territory_refresh")


def _batches(items: list, size: int = 2000) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def load_territories(source_dir: Path | None = None, progress: Progress = lambda message: None) -> LoadReport:
    """Bring the territories table in line with the package; see the module docstring."""
    source_dir = source_dir or default_source_dir()
    progress(f"Reading {source_dir}")
    version, checksum, rows, members = read_package(source_dir)
    report = LoadReport(version=version, counts=dict(Counter(row["level"] for row in rows.values())))

    with transaction.atomic():
        _lock()
        existing = {item["code"]: item for item in Territory.objects.values("code", *FIELDS)}
        to_create, to_update = [], []
        for code, row in rows.items():
            old = existing.get(code)
            if old is None:
                to_create.append(Territory(**row))
            elif any(old[name] != row[name] for name in FIELDS):
                to_update.append(Territory(**row))
            else:
                report.unchanged += 1
        retired = [code for code, old in existing.items() if code not in rows and old["current"]]

        for done, batch in enumerate(_batches(to_create), start=1):
            Territory.objects.bulk_create(batch)
            progress(f"Created {min(done * 2000, len(to_create))}/{len(to_create)} territories")
        if to_update:
            _update_in_bulk(to_update)
            progress(f"Updated {len(to_update)} territories")
        if retired:
            Territory.objects.filter(code__in=retired).update(current=False)
        report.created, report.updated, report.retired = len(to_create), len(to_update), len(retired)

        through = Territory.members.through
        current_pairs = set(through.objects.values_list("from_territory_id", "to_territory_id"))
        added = members - current_pairs
        removed = current_pairs - members
        for batch in _batches(sorted(added)):
            through.objects.bulk_create([through(from_territory_id=a, to_territory_id=b) for a, b in batch])
        by_epci: dict[str, list[str]] = {}
        for epci, commune in removed:
            by_epci.setdefault(epci, []).append(commune)
        for epci, communes in by_epci.items():
            through.objects.filter(from_territory_id=epci, to_territory_id__in=communes).delete()
        report.members_added, report.members_removed = len(added), len(removed)
        progress(f"EPCI members: {len(added)} added, {len(removed)} removed")

        release = TerritoryRelease.objects.filter(package=PACKAGE).first()
        if release is None or release.checksum != checksum or report.changed:
            release = release or TerritoryRelease(package=PACKAGE)
            release.version, release.checksum, release.counts = version, checksum, report.counts
            release.save()
        if connection.vendor == "postgresql" and report.changed:
            with connection.cursor() as cursor:  # the planner learns the tables' new sizes
                cursor.execute(f"ANALYZE {Territory._meta.db_table}")
                cursor.execute(f"ANALYZE {Territory.members.through._meta.db_table}")
        territories_loaded.send(sender=Territory, report=report)
    return report
