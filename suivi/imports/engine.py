"""Check, preview, apply and revert an import of values, streaming and all-or-nothing.

``check(job)`` reads every file row by row, resolves and checks each cell, and stages the
good rows in bulk (``StagedValue``); then SQL finds duplicate and contradictory rows and
compares the rest with what is stored (new / changed / same). A job with any error is
refused whole. ``apply(job)`` writes the new and changed values and their history rows
with ``INSERT … SELECT`` inside one recorded change (one change set, one transaction):
a crash leaves the database as it was. ``revert(job)`` undoes that change set.

Rights are those of every other door (``contributions.rights``): a contributor imports
inside its scope, and its values wait for review (``soumis``); a reviewer or an editor
may publish directly.
"""

from __future__ import annotations

import functools
import hashlib
import shutil
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from suivi.bulk import insert_rows
from suivi.catalogue.models import Programme
from suivi.contributions.recording import change
from suivi.contributions.rights import Rights
from suivi.contributions.workflow import Status
from suivi.imports.mapping import Mapping, MappingError
from suivi.imports.models import Action, ImportJob, JobState, StagedValue
from suivi.imports.parsing import CellError, DateReader, Place, TerritoryReader, parse_qualifier, parse_value
from suivi.imports.reading import ReadError, open_table
from suivi.indicators.models import Indicator, Observation
from suivi.sources.models import Origin, SourceDocument, SourceLocator
from suivi.territories.folding import fold

BATCH = 5000
ANALYZE_AFTER = 10_000  # rows written by one import
ERRORS_KEPT = 200
MEMO_SIZE = 50_000  # distinct texts remembered per column (each: its reading or its error)
_UNSEEN = object()
_BAD = object()
PROGRESS_EVERY = 2.0  # seconds between two progress writes of a running job
STATUS_NAMES = {
    **{s.value: s.value for s in Status},
    **{fold(str(s.label)): s.value for s in Status},
    "brouillon": Status.DRAFT,
    "soumis": Status.SUBMITTED,
    "valide": Status.VALIDATED,
    "publie": Status.PUBLISHED,
    "provisoire": Status.SUBMITTED,
}


@dataclass
class Problem:
    file: str
    line: int | None
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.column}: {self.message}" if self.column else f"{where}: {self.message}"


def file_entry(path: str | Path, name: str = "") -> dict:
    """What a job keeps of one of its files: where it is, its name and its SHA-256."""
    path = Path(path)
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return {"path": str(path), "name": name or path.name, "sha256": digest.hexdigest(), "size": path.stat().st_size}


def create_job(programme: Programme, author, paths: list, *, mapping: Mapping | None = None, publish=False):
    mapping = mapping or Mapping.default()
    files = [file_entry(p) if not isinstance(p, dict) else p for p in paths]
    return ImportJob.objects.create(
        programme=programme,
        author=author if getattr(author, "is_authenticated", False) else None,
        files=files,
        mapping=mapping.as_dict(),
        mapping_name=mapping.name,
        publish=publish,
        bytes_total=sum(f["size"] for f in files),
    )


class _Refused(Exception):
    """The job stops at once (bad mapping, unreadable file, no right)."""


class Checker:
    def __init__(self, job: ImportJob, progress: Callable[[ImportJob], None] | None = None):
        self.job = job
        self.progress = progress
        self.mapping = Mapping.from_dict(job.mapping, name=job.mapping_name or "mapping")
        self.programme = job.programme
        self.rights = Rights.of(job.author)
        # No author: the operator at the server's shell (``import_values`` without ``--user``).
        self.system = job.author_id is None
        self.reviewer = self.system or self.rights.can_review(self.programme.pk)
        self.problems: list[Problem] = []
        self.error_count = 0
        self.repeated = 0  # identical repeated rows counted once (mapping: duplicates: identical)
        self._allowed: dict[tuple[int, str], bool] = {}
        self._memo: dict[str, dict[str, object]] = defaultdict(dict)
        self._level_readers: dict[str, Callable] = {}
        self._last_progress = 0.0
        self._bytes_before = 0
        self.sources = [f["name"] for f in job.files]  # source keys: files, then named documents
        self._documents: dict[str, int] = {}
        indicators = list(Indicator.objects.filter(measure__programme=self.programme).select_related("measure"))
        self.indicators: dict[str, Indicator | list[Indicator]] = {}
        for indicator in indicators:
            for key in {indicator.slug, f"{indicator.measure.slug}/{indicator.slug}", fold(indicator.name)}:
                known = self.indicators.get(key)
                if known is None:
                    self.indicators[key] = indicator
                elif known is not indicator:
                    self.indicators[key] = [*(known if isinstance(known, list) else [known]), indicator]
        self.documents = {d.slug: d for d in SourceDocument.objects.filter(programme=self.programme)}

    # -- errors --------------------------------------------------------------------------------
    def problem(self, file: str, line: int | None, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.problems) < ERRORS_KEPT:
            self.problems.append(Problem(file, line, column, message))

    # -- cells ---------------------------------------------------------------------------------
    def indicator(self, text: str) -> Indicator:
        text = text.strip()
        found = self.indicators.get(text) or self.indicators.get(fold(text))
        if found is None:
            raise CellError(f"indicateur « {text} » inconnu dans le programme {self.programme.slug}")
        if isinstance(found, list):
            names = ", ".join(f"{i.measure.slug}/{i.slug}" for i in found)
            raise CellError(f"« {text} » désigne plusieurs indicateurs ({names}) : écrivez mesure/indicateur")
        return found

    def allowed(self, indicator: Indicator, place: Place) -> bool:
        if self.reviewer:
            return True
        key = (indicator.measure_id, place.pk)
        if key not in self._allowed:
            self._allowed[key] = self.rights.can_write(self.programme.pk, [indicator.measure_id], [place])
        return self._allowed[key]

    def status(self, text: str) -> str:
        if not text.strip():
            return Status.PUBLISHED if self.job.publish else Status.SUBMITTED
        status = STATUS_NAMES.get(fold(text.strip()))
        if status is None:
            raise CellError(f"statut « {text} » inconnu (brouillon, soumis, validé, publié)")
        if status in (Status.VALIDATED, Status.PUBLISHED) and not self.reviewer:
            raise CellError("seule l’équipe du programme peut valider ou publier : laissez le statut vide")
        if status == Status.WITHDRAWN:
            raise CellError("un import ne retire pas de valeur : corrigez-la dans l’espace contributeur")
        return status

    def source_key(self, text: str, file_index: int) -> int:
        text = text.strip()
        if not text:
            return file_index
        if text not in self.documents:
            known = ", ".join(sorted(self.documents)) or "aucun"
            raise CellError(f"document source « {text} » inconnu (documents du programme : {known})")
        if text not in self._documents:
            self._documents[text] = len(self.sources)
            self.sources.append(text)
        return self._documents[text]

    # -- the run -------------------------------------------------------------------------------
    def run(self) -> None:
        job = self.job
        StagedValue.objects.filter(job=job).delete()
        job.state = JobState.CHECKING
        job.save(update_fields=["state", "updated_at"])
        if job.publish and not self.reviewer:
            self.problem("", None, "", "seule l’équipe du programme (relecteur, éditeur) peut publier directement")
        elif not self.reviewer and not self.rights.scope_measures(self.programme):
            self.problem("", None, "", f"vous n’avez aucun droit d’écrire dans le programme {self.programme.slug}")
        try:
            if not self.error_count:
                self.dates = DateReader(self.mapping)
                self.places = TerritoryReader(self.mapping)
                for index, entry in enumerate(job.files):
                    self.read_file(index, entry)
                    self._bytes_before += entry["size"]
        except _Refused:
            pass
        if not self.error_count:
            self.check_keys()
        if not self.error_count:
            classify(job)
        self.finish()

    def read_file(self, index: int, entry: dict) -> None:
        name = entry["name"]
        try:
            table = open_table(
                entry["path"],
                name=name,
                encoding=self.mapping.encoding,
                delimiter=self.mapping.delimiter,
                sheet=self.mapping.sheet,
            )
            columns = self.mapping.resolve_headers(table.header, name)
        except (ReadError, MappingError) as error:
            self.problem(name, None, "", str(error).removeprefix(f"{name}: "))
            raise _Refused from None
        header = table.header
        get = dict(columns.items())
        self._required = [get.get(key) for key in ("territory", "date", "value")]
        width = max(get.values()) + 1
        batch: list[tuple] = []
        rows = 0
        try:
            for line, cells in table.rows:
                rows += 1
                if len(cells) < width:
                    if not any(c.strip() for c in cells):
                        continue
                    cells = cells + [""] * (width - len(cells))
                staged = self.read_row(index, name, header, get, line, cells)
                if staged is not None:
                    batch.append(staged)
                if len(batch) >= BATCH:
                    stage(self.job, batch)
                    batch = []
                    self.report(table.position, rows)
        except ReadError as error:
            self.problem(name, None, "", str(error).removeprefix(f"{name}: "))
            raise _Refused from None
        if batch:
            stage(self.job, batch)
        self.job.rows_read += rows
        self.report(table.position, 0, force=True)

    def read_row(self, index, name, header, get, line, cells) -> tuple | None:
        """Check one row, cell by cell; each distinct cell text is read once per column (a file
        of ten million rows has a few dozen dates, some thousand places and numbers)."""
        memo = self._memo

        def read(key: str, reader, memo_key: str = "") -> object:
            position = get.get(key)
            text = cells[position] if position is not None else ""
            known = memo[memo_key or key]
            found = known.get(text, _UNSEEN)
            if found is _UNSEEN:
                try:
                    found = reader(text)
                except CellError as error:
                    found = error
                if len(known) < MEMO_SIZE:
                    known[text] = found
            if isinstance(found, CellError):
                self.problem(name, line, header[get[key]] if position is not None else key, str(found))
                return _BAD
            return found

        if not any(cells[p].strip() for p in self._required if p is not None):
            return None  # a template line left empty
        indicator = read("indicator", self.indicator)
        day = read("date", self.dates)
        value = read("value", parse_value)
        level = ""
        if "territory_level" in get:
            raw_level = cells[get["territory_level"]].strip()
            level = self.mapping.territory_level_values.get(raw_level, raw_level)
        place = read("territory", self._places_at(level), f"territory {level}")
        qualifier = read("qualifier", parse_qualifier) if "qualifier" in get else None
        status = read("status", self.status) if "status" in get else None
        source = self._source(cells, get, index, name, header, line)
        if any(x is _BAD for x in (indicator, day, value, place, qualifier, status, source)):
            return None
        if "unit" in get:
            written = cells[get["unit"]].strip()
            unit = self.mapping.unit_aliases.get(indicator.slug, {}).get(written, written)
            if unit and not same_unit(unit, indicator.unit):
                self.problem(
                    name,
                    line,
                    header[get["unit"]],
                    f"unité « {cells[get['unit']]} » ; l’indicateur est en « {indicator.unit} »",
                )
                return None
        if not self.allowed(indicator, place):
            self.problem(
                name,
                line,
                header[get["territory"]],
                f"vous n’avez pas le droit d’écrire « {indicator.slug} » pour {place.label}",
            )
            return None
        number, written_qualifier = value
        if qualifier is not None and qualifier != "exact":
            written_qualifier = qualifier
        return (
            self.job.pk,
            index,
            line,
            indicator.pk,
            place.pk,
            *day,
            number,
            written_qualifier,
            status or self.status(""),
            source,
        )

    def _places_at(self, level: str):
        """The territory reader at one level (a level column: each level memoised apart)."""
        if not level:
            return self.places
        if level not in self._level_readers:
            self._level_readers[level] = functools.partial(self.places, level=level)
        return self._level_readers[level]

    def _source(self, cells, get, index, name, header, line) -> int | object:
        position = get.get("source")
        try:
            return self.source_key(cells[position] if position is not None else "", index)
        except CellError as error:
            self.problem(name, line, header[position], str(error))
            return _BAD

    def report(self, position: int, rows: int, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_progress < PROGRESS_EVERY and self.progress is None:
            return
        self._last_progress = now
        self.job.bytes_read = self._bytes_before + position
        if self.progress is not None:
            self.progress(self.job)
        if force or now - getattr(self, "_last_save", 0.0) >= PROGRESS_EVERY:
            self._last_save = now
            ImportJob.objects.filter(pk=self.job.pk).update(
                bytes_read=self.job.bytes_read, rows_read=self.job.rows_read + rows, updated_at=timezone.now()
            )

    def check_keys(self) -> None:
        """Two rows for one indicator, territory and date: a repeated line or a contradiction."""
        files = [f["name"] for f in self.job.files]
        table = StagedValue._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT indicator_id, territory_id, date, COUNT(*), MIN(value), MAX(value) FROM {table} "
                "WHERE job_id = %s GROUP BY indicator_id, territory_id, date HAVING COUNT(*) > 1 "
                "ORDER BY MIN(file_index), MIN(line)",
                [self.job.pk],
            )
            groups = cursor.fetchall()
        if self.mapping.duplicates == "identical":
            repeated = sum(count - 1 for *_, count, low, high in groups if low == high)
            groups = [g for g in groups if g[4] != g[5]]
            if repeated and not groups:
                self.repeated = repeated
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"DELETE FROM {table} WHERE job_id = %s AND id NOT IN (SELECT MIN(id) FROM {table} "
                        "WHERE job_id = %s GROUP BY indicator_id, territory_id, date)",
                        [self.job.pk, self.job.pk],
                    )
        slugs = dict(Indicator.objects.filter(pk__in={g[0] for g in groups}).values_list("pk", "slug"))
        for indicator_id, territory_id, date, _count, low, high in groups:
            if len(self.problems) >= ERRORS_KEPT:
                self.error_count += 1
                continue
            lines = list(
                StagedValue.objects.filter(
                    job=self.job, indicator_id=indicator_id, territory_id=territory_id, date=date
                ).values_list("file_index", "line", "value")[:5]
            )
            first_file, first_line, _ = lines[0]
            others = ", ".join(
                f"ligne {line}" if i == first_file else f"{files[i]} ligne {line}" for i, line, _ in lines[1:]
            )
            what = f"{slugs.get(indicator_id)} / {territory_id} / {date}"
            if low == high:
                message = f"ligne en double ({what}) : aussi {others}"
            else:
                listed = " ; ".join(f"{files[i]}:{line} → {value.normalize():f}" for i, line, value in lines)
                message = f"valeurs contradictoires pour {what} : {listed}"
            self.problem(files[first_file], first_line, "", message)

    def finish(self) -> None:
        job = self.job
        job.errors = [p.as_dict() for p in self.problems]
        job.error_count = self.error_count
        job.message = ""
        job.mapping["sources"] = self.sources
        if self.error_count:
            job.state = JobState.FAILED
            StagedValue.objects.filter(job=job).delete()
        else:
            job.state = JobState.CHECKED
            job.counts = {**counts_of(job), "repeated": self.repeated}
        job.bytes_read = job.bytes_total
        job.save()


@functools.lru_cache(maxsize=4096)
def same_unit(written: str, unit: str) -> bool:
    return " ".join(fold(written).replace("*", " ").split()) == " ".join(fold(unit).replace("*", " ").split())


# -- bulk SQL ------------------------------------------------------------------------------------
STAGED_COLUMNS = [
    "job_id",
    "file_index",
    "line",
    "indicator_id",
    "territory_id",
    "date",
    "date_precision",
    "value",
    "qualifier",
    "status",
    "source_key",
]


def stage(job: ImportJob, rows: list[tuple]) -> None:
    """Write checked rows with the engine's bulk path, one transaction per batch."""
    with transaction.atomic():
        insert_rows(StagedValue._meta.db_table, [*STAGED_COLUMNS, "action"], [(*row, "new") for row in rows])


def classify(job: ImportJob) -> None:
    """Compare staged rows with stored values: new, changed or the same (set-based).

    Rows are staged as new; only those that match a stored value are updated (a first import
    of ten million values touches none: rewriting every staged row twice took PostgreSQL most
    of its time). Run again, it first puts back the rows an earlier run matched.
    """
    staged = StagedValue._meta.db_table
    stored = Observation._meta.db_table
    kept = "('validated', 'published')"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {staged} SET action = 'new', existing_id = NULL "
            "WHERE job_id = %s AND (action <> 'new' OR existing_id IS NOT NULL)",
            [job.pk],
        )
        cursor.execute(
            f"UPDATE {staged} SET existing_id = o.id, action = CASE WHEN o.value = {staged}.value "
            f"AND o.qualifier = {staged}.qualifier AND o.date_precision = {staged}.date_precision "
            f"AND (o.status = {staged}.status OR ({staged}.status = 'submitted' AND o.status IN {kept})) "
            f"THEN 'same' ELSE 'changed' END FROM {stored} o WHERE {staged}.job_id = %s "
            f"AND o.indicator_id = {staged}.indicator_id AND o.territory_id = {staged}.territory_id "
            f"AND o.date = {staged}.date",
            [job.pk],
        )


def counts_of(job: ImportJob) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT action, COUNT(*) FROM {StagedValue._meta.db_table} WHERE job_id = %s GROUP BY action", [job.pk]
        )
        found = dict(cursor.fetchall())
    return {a.value: found.get(a.value, 0) for a in Action}


def _columns(model) -> list[str]:
    return [f.column for f in model._meta.concrete_fields]


def apply(job: ImportJob, reason: str = "") -> ImportJob:
    """Write a checked job in one recorded change; returns the job (DONE, with its change set)."""
    if job.state != JobState.CHECKED:
        raise ValueError(f"import {job.pk} is {job.state}, not checked: check it first")
    rights = Rights.of(job.author)
    if job.publish and job.author_id is not None and not rights.can_review(job.programme_id):
        raise PermissionError("seule l’équipe du programme peut publier directement")
    job.state = JobState.APPLYING
    job.save(update_fields=["state", "updated_at"])
    names = ", ".join(f["name"] for f in job.files[:3]) + (" …" if len(job.files) > 3 else "")
    reason = reason or f"Import de {names}"
    try:
        with change(job.author, Origin.IMPORT, reason, job.programme) as record:
            classify(job)  # again, inside the transaction: values may have changed since the preview
            counts = counts_of(job)
            if counts[Action.NEW] or counts[Action.CHANGED]:
                locators = _locators(job)
                _write(job, record.change_set, locators)
                job.change_set = record.change_set
    except Exception as error:
        ImportJob.objects.filter(pk=job.pk).update(
            state=JobState.FAILED, message=f"{type(error).__name__}: {error}", updated_at=timezone.now()
        )
        raise
    job.counts = {**counts, "repeated": job.counts.get("repeated", 0)}
    job.state = JobState.DONE
    job.save(update_fields=["counts", "state", "change_set", "updated_at"])
    StagedValue.objects.filter(job=job).delete()
    if connection.vendor == "sqlite" and counts[Action.NEW] + counts[Action.CHANGED] > ANALYZE_AFTER:
        settle_sqlite()
    return job


def settle_sqlite() -> None:
    """Fold a large import's write-ahead log back into the database file and truncate it: SQLite
    does not shrink the log by itself (no ``journal_size_limit``), so after writing ten million
    values it would keep its largest size on disk until the last connection closes. Readers
    still open are waited for (busy timeout); if they outlast it, the log stays as it was."""
    if connection.in_atomic_block:
        return  # inside a caller's transaction the log cannot be folded yet: the engine will
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def document_for_file(programme: Programme, entry: dict) -> SourceDocument:
    """The programme's source document for an imported file (found by its SHA-256, else made)."""
    document = SourceDocument.objects.filter(programme=programme, sha256=entry["sha256"]).first()
    if document is not None:
        return document
    root = Path(settings.BASE_DIR).resolve()
    path = Path(entry["path"]).resolve()
    suffix = path.suffix.lower()
    if path.is_relative_to(root):
        file_path = path.relative_to(root).as_posix()
    else:
        relative = Path("sources") / f"{entry['sha256']}{suffix}"
        target = Path(settings.MEDIA_ROOT) / relative
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(target.suffix + ".part")
            shutil.copyfile(path, partial)
            partial.replace(target)
        file_path = f"media:{relative.as_posix()}"
    from suivi.sources.services import ACCEPTED_TYPES, _unique_slug

    title = Path(entry["name"]).stem
    return SourceDocument.objects.create(
        programme=programme,
        slug=_unique_slug(programme, title),
        title=entry.get("title") or title,
        publisher=entry.get("publisher", ""),
        file_path=file_path,
        sha256=entry["sha256"],
        media_type=ACCEPTED_TYPES.get(suffix, "text/csv"),
        published_on=timezone.localdate(),
    )


IMPORT_QUOTE = "Valeurs importées de ce fichier, une par ligne."


def _locators(job: ImportJob) -> list[int]:
    """One locator per source of the job: each file, then each document named in a source column."""
    locators = []
    for entry in job.files:
        document = document_for_file(job.programme, entry)
        locator, _ = SourceLocator.objects.get_or_create(
            document=document, page=None, line_start=None, quote=IMPORT_QUOTE
        )
        locators.append(locator.pk)
    for slug in job.mapping.get("sources", [])[len(job.files) :]:
        document = SourceDocument.objects.get(programme=job.programme, slug=slug)
        locator, _ = SourceLocator.objects.get_or_create(
            document=document, page=None, line_start=None, quote="Valeur citée par un import."
        )
        locators.append(locator.pk)
    return locators


def _write(job: ImportJob, change_set, locators: list[int]) -> None:
    staged = StagedValue._meta.db_table
    stored = Observation._meta.db_table
    history = Observation.history.model._meta.db_table
    q = connection.ops.quote_name
    files = len(job.files)
    source = "CASE s.source_key " + " ".join(f"WHEN {i} THEN {pk}" for i, pk in enumerate(locators)) + " END"
    line = f"CASE WHEN s.source_key < {files} THEN s.line ELSE NULL END"
    author = job.author_id
    with connection.cursor() as cursor:
        # Changed values: the file's value, status and source; one version more.
        cursor.execute(
            f"UPDATE {stored} SET value = s.value, qualifier = s.qualifier, date_precision = s.date_precision, "
            f"status = s.status, version = {stored}.version + 1, source_id = {source}, source_line = {line}, "
            f"entered_by_id = %s FROM {staged} s "
            f"WHERE s.job_id = %s AND s.action = 'changed' AND s.existing_id = {stored}.id",
            [author, job.pk],
        )
        cursor.execute(
            f"INSERT INTO {stored} (indicator_id, territory_id, {q('date')}, date_precision, period_start, "
            "period_start_precision, value, qualifier, status, version, source_id, source_line, entered_by_id, "
            f"comment) SELECT s.indicator_id, s.territory_id, s.date, s.date_precision, NULL, 'day', s.value, "
            f"s.qualifier, s.status, 1, {source}, {line}, %s, '' FROM {staged} s "
            "WHERE s.job_id = %s AND s.action = 'new' ORDER BY s.file_index, s.line",
            [author, job.pk],
        )
        columns = _columns(Observation)
        listed = ", ".join(q(c) for c in columns)
        selected = ", ".join(f"o.{q(c)}" for c in columns)
        now = connection.ops.adapt_datetimefield_value(change_set.created_at)
        reason = (change_set.reason or "")[:100]
        cursor.execute(
            f"INSERT INTO {history} ({listed}, history_date, history_change_reason, history_type, "
            f"history_user_id, change_set_id) SELECT {selected}, %s, %s, "
            f"CASE s.action WHEN 'new' THEN '+' ELSE '~' END, %s, %s FROM {staged} s JOIN {stored} o "
            "ON o.indicator_id = s.indicator_id AND o.territory_id = s.territory_id AND o.date = s.date "
            "WHERE s.job_id = %s AND s.action IN ('new', 'changed') ORDER BY o.id",
            [now, reason, author, change_set.pk, job.pk],
        )
        if connection.vendor == "postgresql" and cursor.rowcount > ANALYZE_AFTER:
            # The planner must learn the table's new size before the roll-ups group it (measured:
            # 425 ms → 167 ms for one indicator over every commune).
            cursor.execute(f"ANALYZE {stored}")


def revert(job: ImportJob, actor, reason: str = "") -> ImportJob:
    """Undo an applied import as a whole, as one new change set: values it created are
    withdrawn (kept, not deleted), values it changed get back their previous version.
    Refused when a value was changed again after the import (say which)."""
    from suivi.contributions.rights import NotAllowed

    if job.state != JobState.DONE or job.change_set_id is None:
        raise ValueError(f"import {job.pk} is {job.state}: only an applied import that wrote values can be reverted")
    if actor is not None and not Rights.of(actor).can_review(job.programme_id):
        raise NotAllowed("seule l’équipe du programme peut annuler un import")
    History = Observation.history.model
    rows = History.objects.filter(change_set_id=job.change_set_id)
    later = History.objects.filter(
        id__in=rows.values("id"), history_id__gt=rows.order_by("-history_id").values("history_id")[:1]
    )
    if later.exists():
        sample = ", ".join(str(pk) for pk in later.values_list("id", flat=True).distinct()[:5])
        raise ValueError(f"des valeurs de cet import ont été modifiées depuis (valeurs {sample}) : annulation refusée")
    with change(actor, Origin.IMPORT, reason or f"Annulation de l’import {job.pk}", job.programme) as record:
        created = rows.filter(history_type="+").values_list("id", flat=True)
        for start in range(0, created.count(), BATCH):
            ids = list(created.order_by("id")[start : start + BATCH])
            for observation in Observation.objects.filter(pk__in=ids):
                observation.status = Status.WITHDRAWN
                observation.version += 1
                observation.save(update_fields=["status", "version"])
        changed = rows.filter(history_type="~").order_by("id")
        fields = [f.attname for f in Observation._meta.concrete_fields if f.attname not in ("id", "version")]
        for row in changed.iterator(chunk_size=BATCH):
            previous = History.objects.filter(id=row.id, history_id__lt=row.history_id).order_by("-history_id").first()
            observation = Observation.objects.get(pk=row.id)
            for name in fields:
                setattr(observation, name, getattr(previous, name))
            observation.version += 1
            observation.save()
        job.revert_change_set = record.change_set if record.wrote else None
    job.state = JobState.REVERTED
    job.save(update_fields=["state", "revert_change_set", "updated_at"])
    return job


def check(job: ImportJob, progress=None) -> ImportJob:
    Checker(job, progress).run()
    return job


def run(job: ImportJob, *, dry_run: bool = False, progress=None) -> ImportJob:
    """Check, then apply unless ``dry_run`` or refused (the command and the background task)."""
    check(job, progress)
    if job.state == JobState.CHECKED and not dry_run:
        apply(job)
    return job
