"""A backup made from SQLite while values are being written, restored into PostgreSQL, backed
up there and restored into SQLite again: every row the same, `export_programme` the same byte
for byte; a truncated file refused with the database left empty. Real processes, real files,
a real PostgreSQL database of its own."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from suivi.browser import MANAGE, _site_env

# The longest subprocess test: run in the SQLite pass, to balance the two passes (Makefile).
pytestmark = [pytest.mark.subprocess, pytest.mark.sqlite_pass]

PG_HOST = "postgres://postgres@127.0.0.1:5432"

# Writes one published value after another, each a change set with its history, until killed.
WRITER = """
import datetime
from decimal import Decimal
from django.contrib.auth import get_user_model
from suivi.indicators.models import Indicator
from suivi.indicators.services import ValueInput, save_value
from suivi.territories.models import Territory
user = get_user_model().objects.filter(is_superuser=True).first()
if user is None:
    user = get_user_model().objects.create_superuser("ecrivain", "ecrivain@example.org", "x")
indicator, france = Indicator.objects.get(slug="nouveaux-orchestres"), Territory.objects.get(code="fr")
day = indicator.observations.order_by("-date").first().date + datetime.timedelta(days=1)
for i in range(100000):
    save_value(user, ValueInput(indicator, france, day, Decimal(i)), publish=True)
    day += datetime.timedelta(days=1)
    if i == 0:
        print("ready", flush=True)
"""


def manage(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, str(MANAGE), *args], env=env, capture_output=True, text=True, timeout=600)
    if check:
        assert result.returncode == 0, result.stderr[-3000:]
    return result


def rows(path: Path) -> list[str]:
    """The file's lines after its header (which names the engine and the time)."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return lines.readlines()[1:]


def snapshot_figures(path: Path) -> tuple[set, set, set, set]:
    """Values, values created in the history, and the change sets of new values with and
    without their history row: in one snapshot, the first two and the last two are equal.

    The file lists the history of values first and the change sets last; read table by table
    without a snapshot, change sets written in between would have no history in the file."""
    table = None
    values, created, sets, sets_in_history = set(), set(), set(), set()
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            item = json.loads(line)
            if isinstance(item, dict):
                table, names = item.get("table"), item.get("columns")
                continue
            record = dict(zip(names, item, strict=True))
            if table == "indicators.observation":
                values.add(record["id"])
            elif table == "indicators.historicalobservation":
                sets_in_history.add(record["change_set_id"])
                if record["history_type"] == "+":
                    created.add(record["id"])
            elif table == "sources.changeset" and record["reason"] == "Nouvelle valeur":
                sets.add(record["id"])
    return values, created, sets, sets_in_history & sets


def backup_while_writing(env: dict, path: Path) -> None:
    writer = subprocess.Popen(
        [sys.executable, str(MANAGE), "shell", "--no-imports", "-c", WRITER],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout.readline().strip() == "ready"
        manage(env, "backup", str(path))
    finally:
        writer.kill()
        writer.wait(timeout=30)
    values, created, sets, sets_in_history = snapshot_figures(path)
    assert len(sets) > 1, "the writer wrote during the backup"
    assert values == created, f"{len(values)} values but {len(created)} in the history: not one snapshot"
    assert sets == sets_in_history, f"{len(sets - sets_in_history)} change sets without their history"


@pytest.fixture
def postgres_env(tmp_path):
    name = f"suivi_restore_{uuid.uuid4().hex[:8]}"
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"DATABASE_URL": f"{PG_HOST}/{name}", "SECRET_KEY": "test", "SUIVI_VAR_DIR": str(tmp_path / "pg-var")}
    try:
        yield env
    finally:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", name], check=False)


def test_sqlite_to_postgresql_and_back_while_values_are_written(site_data, tmp_path, postgres_env):
    source = tmp_path / "source"
    shutil.copytree(site_data, source)
    sqlite_env = _site_env(source)
    backup_while_writing(sqlite_env, tmp_path / "busy-sqlite.jsonl.gz")  # one snapshot, writers going on
    quiet = tmp_path / "sqlite.jsonl.gz"
    manage(sqlite_env, "backup", str(quiet))
    expected = tmp_path / "expected.json"
    manage(sqlite_env, "export_programme", "ciec", "-o", str(expected))

    manage(postgres_env, "migrate", "--no-input", "-v", "0")
    # A truncated file is refused, and the database stays empty.
    truncated = tmp_path / "tronque.jsonl.gz"
    data = gzip.decompress(quiet.read_bytes())
    truncated.write_bytes(gzip.compress(data[: len(data) // 2]))
    refused = manage(postgres_env, "restore", str(truncated), check=False)
    assert refused.returncode == 1
    assert "tronqué" in refused.stderr and "rien n’a été restauré" in refused.stderr
    count = "from suivi.territories.models import Territory; print(Territory.objects.count())"
    assert manage(postgres_env, "shell", "--no-imports", "-c", count).stdout.strip() == "0"

    # SQLite → PostgreSQL: the same rows, the same programme document, history included.
    manage(postgres_env, "restore", str(quiet))
    on_postgresql = tmp_path / "postgresql.jsonl.gz"
    manage(postgres_env, "backup", str(on_postgresql))
    assert rows(on_postgresql) == rows(quiet)
    exported = tmp_path / "postgresql.json"
    manage(postgres_env, "export_programme", "ciec", "-o", str(exported))
    assert exported.read_bytes() == expected.read_bytes()
    assert len(expected.read_bytes()) > 100_000
    backup_while_writing(postgres_env, tmp_path / "busy-postgresql.jsonl.gz")  # PostgreSQL's snapshot

    # And back to SQLite.
    back = tmp_path / "back"
    back.mkdir()
    back_env = _site_env(back)
    manage(back_env, "migrate", "--no-input", "-v", "0")
    manage(back_env, "restore", str(on_postgresql))
    again = tmp_path / "back.jsonl.gz"
    manage(back_env, "backup", str(again))
    assert rows(again) == rows(quiet)
    exported = tmp_path / "back.json"
    manage(back_env, "export_programme", "ciec", "-o", str(exported))
    assert exported.read_bytes() == expected.read_bytes()
    search = "from suivi.search.query import search; print(len(search('Châteauroux')))"
    assert int(manage(back_env, "shell", "--no-imports", "-c", search).stdout.strip()) > 0
