"""A whole Suivi database as one file, and back: ``manage.py backup FILE`` / ``restore FILE``.

The file is gzip-compressed JSON Lines, readable by any engine: a header (format, date,
engine, the migrations the schema is at), then for each table a line naming its columns and
row count followed by one line per row, then an end line with every count. Rows hold the
stored values (keys included), so a restore gives every object its own id back: history,
change sets and links stay as they were.

- **Consistent while the site runs**: every table is read in one snapshot — a ``REPEATABLE
  READ, READ ONLY`` transaction on PostgreSQL, one read transaction on SQLite (WAL mode lets
  writers go on meanwhile).
- **Never half a file**: written to a temporary file beside the target, synced, then renamed.
- **All or nothing**: a restore runs in one transaction into an *empty* database at the same
  migrations; a file that is truncated, damaged or from another schema is refused with the
  reason, and the database is left as it was.

What is kept: every table of Suivi's apps (catalogue, values, history, change sets, imports,
accounts and roles, territories, search index), and Django's users and groups. What is not:
sessions, login attempts, finished background tasks, generated report files and uploaded
files (they live under ``MEDIA_ROOT``; copy that folder beside the backup).
"""

from __future__ import annotations

import datetime
import gzip
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "suivi-backup/1"
BATCH = 2000
# Django's own tables that hold people's data; the rest of Django's is rebuilt by `migrate`.
KEPT_DJANGO_MODELS = {"auth.user", "auth.group", "auth.user_groups"}
# Derived or transient: made again when needed.
SKIPPED_MODELS = {"reports.reportfile"}


class Encoder(DjangoJSONEncoder):
    """Django's encoder, but datetimes keep their microseconds (Django's cuts them to milliseconds)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class BackupError(Exception):
    """A backup that cannot be read or restored here; the message says why, in French."""


def tables() -> list[type[models.Model]]:
    """The models a backup holds, in a stable order (foreign keys are checked at commit)."""
    chosen = []
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        ours = model._meta.app_config.name.startswith("suivi.")
        wanted = (ours or label in KEPT_DJANGO_MODELS) and label not in SKIPPED_MODELS
        if wanted and not model._meta.proxy and (model._meta.managed or model._meta.auto_created):
            chosen.append(model)
    return sorted(chosen, key=lambda m: m._meta.label_lower)


def applied_migrations() -> list[list[str]]:
    recorder = MigrationRecorder(connection)
    return sorted([app, name] for app, name in recorder.applied_migrations())


def columns(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


@contextmanager
def snapshot() -> Iterator[None]:
    """Every read inside sees the database as it was when the block began."""
    if connection.in_atomic_block:
        # Called inside a transaction already (a test, a script): its reads are that snapshot.
        yield
    elif connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    elif connection.vendor == "sqlite":
        # A deferred read transaction: in WAL mode it sees one snapshot and blocks no writer.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")
    else:
        with transaction.atomic():
            yield


def backup(path: Path, progress=None) -> dict[str, int]:
    """Write the whole database to ``path``; returns the row count of each table."""
    progress = progress or (lambda label, count: None)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    counts: dict[str, int] = {}
    try:
        with os.fdopen(handle, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6) as out:

            def write(line) -> None:
                out.write(json.dumps(line, cls=Encoder, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n")

            with snapshot():
                models_ = tables()
                write(
                    {
                        "format": FORMAT,
                        "created": timezone.now().isoformat(),
                        "engine": connection.vendor,
                        "migrations": applied_migrations(),
                        "tables": [m._meta.label_lower for m in models_],
                    }
                )
                for model in models_:
                    names = columns(model)
                    rows = model._base_manager.order_by("pk").values_list(*names)
                    count = rows.count()
                    write({"table": model._meta.label_lower, "columns": names, "rows": count})
                    for row in rows.iterator(chunk_size=BATCH):
                        write(list(row))
                    counts[model._meta.label_lower] = count
                    progress(model._meta.label_lower, count)
                write({"end": True, "counts": counts})
            out.flush()
            raw.flush()
            os.fsync(raw.fileno())
        os.chmod(temporary, 0o600)  # it holds accounts: as private as the database
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return counts


def restore(path: Path, progress=None) -> dict[str, int]:
    """Load ``path`` into this (empty, migrated) database, all or nothing."""
    progress = progress or (lambda label, count: None)
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} : fichier introuvable.")
    try:
        with gzip.open(path, "rb") as lines:
            header = _read(lines, path)
            _check_header(header, path)
            _check_empty()
            with transaction.atomic(), _keeping_stored_dates():
                counts = _load(lines, path, progress)
                _reset_sequences()
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise BackupError(f"{path} : fichier illisible ou tronqué ({exc}) ; rien n’a été restauré.") from None
    return counts


def _read(lines, path: Path):
    line = lines.readline()
    if not line.endswith(b"\n"):  # every line of a whole file ends with one, the last included
        raise BackupError(f"{path} : fichier tronqué (il s’arrête avant sa fin) ; rien n’a été restauré.")
    try:
        return json.loads(line)
    except ValueError:
        raise BackupError(f"{path} : ligne illisible ; rien n’a été restauré.") from None


def _check_header(header, path: Path) -> None:
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError(f"{path} : ce n’est pas une sauvegarde Suivi ({FORMAT}).")
    theirs = {tuple(m) for m in header["migrations"]}
    ours = {tuple(m) for m in applied_migrations()}
    if theirs != ours:
        missing = sorted(f"{a}.{n}" for a, n in theirs - ours)[:5]
        extra = sorted(f"{a}.{n}" for a, n in ours - theirs)[:5]
        raise BackupError(
            f"{path} : la sauvegarde a été faite avec un autre schéma de base. "
            f"Migrations de la sauvegarde absentes ici : {missing or 'aucune'} ; "
            f"migrations d’ici absentes de la sauvegarde : {extra or 'aucune'}. "
            "Restaurez avec la version de Suivi qui l’a faite (ou appliquez `migrate` jusqu’au même point)."
        )


def _check_empty() -> None:
    from suivi.catalogue.models import Programme
    from suivi.territories.models import Territory

    occupied = [m._meta.verbose_name for m in (Programme, Territory) if m.objects.exists()]
    from django.contrib.auth import get_user_model

    if get_user_model().objects.exists():
        occupied.append("comptes")
    if occupied:
        raise BackupError(
            f"La base n’est pas vide ({', '.join(map(str, occupied))}) : une sauvegarde se restaure dans une base "
            "neuve, après `manage.py migrate`. Rien n’a été restauré."
        )


def _load(lines, path: Path, progress) -> dict[str, int]:
    known = {m._meta.label_lower: m for m in tables()}
    counts: dict[str, int] = {}
    while True:
        block = _read(lines, path)
        if block.get("end"):
            if block["counts"] != counts:
                raise BackupError(f"{path} : les comptes de fin ne correspondent pas ; rien n’a été restauré.")
            return counts
        label = block["table"]
        model = known.get(label)
        if model is None:
            raise BackupError(f"{path} : table inconnue ici : {label} ; rien n’a été restauré.")
        fields = [model._meta.get_field(name) for name in block["columns"]]
        batch = []
        for _ in range(block["rows"]):
            row = _read(lines, path)
            values = {field.attname: _value(field, value) for field, value in zip(fields, row, strict=True)}
            batch.append(model(**values))
            if len(batch) >= BATCH:
                model._base_manager.bulk_create(batch)
                batch = []
        if batch:
            model._base_manager.bulk_create(batch)
        counts[label] = block["rows"]
        progress(label, block["rows"])


def _value(field, value):
    if value is None or isinstance(field, models.JSONField):
        return value
    if isinstance(field, models.DateTimeField):
        return datetime.datetime.fromisoformat(value)
    return field.to_python(value)


@contextmanager
def _keeping_stored_dates() -> Iterator[None]:
    """``auto_now`` fields would stamp restored rows with today: keep the stored dates instead."""
    switched = []
    for model in tables():
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                switched.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in switched:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def _reset_sequences() -> None:
    """PostgreSQL's id sequences start after the restored ids (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), tables())
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
