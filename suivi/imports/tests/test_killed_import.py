"""A real process killed with SIGKILL while an import writes: nothing is half-written.

The import runs as `manage.py import_values` in a process of its own, against a SQLite file
(a copy of the browser tests' data: territories and the CIEC). Once the job says it is
writing, the process is killed; the values, their history and the change sets must be
exactly as before.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time

import pytest

from suivi.browser import MANAGE, _site_env

pytestmark = pytest.mark.subprocess

TABLES = ("indicators_observation", "indicators_historicalobservation", "sources_changeset")


def counts(path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        return {table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in TABLES}


def test_an_import_killed_while_writing_leaves_the_database_as_it_was(site_data, tmp_path):
    var = tmp_path / "var"
    shutil.copytree(site_data, var)
    database = var / "suivi.sqlite3"
    with sqlite3.connect(database) as db:
        communes = [
            row[0] for row in db.execute("SELECT code FROM territories_territory WHERE level = 'com' LIMIT 20000")
        ]
    big = tmp_path / "valeurs.csv"
    with big.open("w", encoding="utf-8") as handle:
        handle.write("indicateur,territoire,date,valeur\n")
        for month in range(1, 11):
            for code in communes:
                handle.write(f"conventions-nationales-tig,{code},2016-{month:02d},{month}\n")
    before = counts(database)
    process = subprocess.Popen(
        [sys.executable, MANAGE, "import_values", str(big), "--programme", "ciec", "--publish", "-v", "0"],
        env=_site_env(var),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    state = None
    deadline = time.monotonic() + 240
    try:
        while time.monotonic() < deadline and process.poll() is None:
            with sqlite3.connect(database) as db:
                row = db.execute("SELECT state FROM imports_importjob ORDER BY id DESC LIMIT 1").fetchone()
            state = row[0] if row else None
            if state == "applying":
                time.sleep(0.3)  # well inside the writing transaction
                break
            time.sleep(0.05)
    finally:
        process.kill()
        process.wait(timeout=30)
    assert state == "applying", f"the import never started writing (last state: {state})"
    assert counts(database) == before
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
