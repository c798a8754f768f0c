"""Roll-up of one indicator and date over every commune, against DuckDB doing the same sums.

Run with ``make bench`` (or ``.venv/bin/python bench/rollup.py``). It works in a throw-away
SQLite database of its own (``DATABASE_URL=…`` names a scratch PostgreSQL database instead):
migrations, France's territories, then a programme with one value per current commune (about
35,000) at one date, written through the real import path. ``indicators.rollups.recompute`` —
communes → EPCI and départements, départements → régions → France — is timed against DuckDB
computing the same sums from the same rows in memory. Prints medians and the ratio (goal: at
most 2× DuckDB's time).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suivi.settings")
if not os.environ.get("DATABASE_URL"):
    os.environ["SUIVI_VAR_DIR"] = tempfile.mkdtemp(prefix="suivi-bench-")

import django

django.setup()

import datetime  # noqa: E402
import random  # noqa: E402

import duckdb  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from suivi.catalogue.models import Axis, Measure, Programme  # noqa: E402
from suivi.contributions.recording import change  # noqa: E402
from suivi.imports import engine  # noqa: E402
from suivi.imports.mapping import Mapping  # noqa: E402
from suivi.indicators import rollups  # noqa: E402
from suivi.indicators.models import ComputedValue, Indicator, Observation  # noqa: E402
from suivi.sources.models import Origin  # noqa: E402
from suivi.territories.models import Territory  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
GOAL = 2.0
DAY = datetime.date(2024, 1, 1)
SLUG = "bench-rollup"


def median_ms(action) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def setup() -> Indicator:
    with change(None, Origin.SYSTEM, "Benchmark des agrégations"):
        programme = Programme.objects.create(slug=SLUG, name="Benchmark", short_name="Bench", is_published=False)
        axis = Axis.objects.create(programme=programme, slug="axe", name="Axe", position=1)
        measure = Measure.objects.create(programme=programme, axis=axis, slug="mesure", title="Mesure", position=1)
        indicator = Indicator.objects.create(measure=measure, slug="valeur", name="Valeur", unit="u", aggregation="sum")
    communes = list(Territory.objects.filter(level="com", current=True).values_list("insee_code", flat=True))
    rng = random.Random(42)
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8") as handle:
        handle.write("indicateur,territoire,date,valeur\n")
        for code in communes:
            handle.write(f"valeur,{code},2024-01,{rng.randint(0, 5000)}\n")
    job = engine.create_job(programme, None, [handle.name], mapping=Mapping.default(), publish=True)
    engine.run(job)
    Path(handle.name).unlink()
    print(f"{job.counts['new']} commune values imported ({connection.vendor}).")
    return indicator


def duckdb_rollup(rows: list[tuple], members: list[tuple]) -> None:
    db = duckdb.connect()
    db.execute("CREATE TABLE v (code VARCHAR, dep VARCHAR, reg VARCHAR, value DOUBLE)")
    db.executemany("INSERT INTO v VALUES (?, ?, ?, ?)", rows)
    db.execute("CREATE TABLE m (epci VARCHAR, code VARCHAR)")
    db.executemany("INSERT INTO m VALUES (?, ?)", members)

    def run() -> None:
        db.execute("SELECT dep, SUM(value) FROM v GROUP BY dep").fetchall()
        db.execute("SELECT reg, SUM(value) FROM v GROUP BY reg").fetchall()
        db.execute("SELECT SUM(value) FROM v").fetchall()
        db.execute("SELECT m.epci, SUM(v.value) FROM v JOIN m USING (code) GROUP BY m.epci").fetchall()

    return run


def main() -> int:
    call_command("migrate", verbosity=0)
    call_command("load_territories", verbosity=0)
    indicator = setup()
    ours = median_ms(lambda: rollups.recompute(indicator, [DAY]))
    count = ComputedValue.objects.filter(indicator=indicator).count()
    rows = list(
        Observation.objects.filter(indicator=indicator).values_list(
            "territory_id", "territory__departement_id", "territory__region_id", "value"
        )
    )
    rows = [(code, dep, reg, float(value)) for code, dep, reg, value in rows]
    members = list(Territory.members.through.objects.values_list("from_territory_id", "to_territory_id"))
    theirs = median_ms(duckdb_rollup(rows, members))
    ratio = ours / theirs
    print(f"roll-up of {len(rows)} commune values into {count} computed values ({connection.vendor})")
    print(f"  Suivi (recompute):  {ours:8.1f} ms (median of {RUNS})")
    print(f"  DuckDB (same sums): {theirs:8.1f} ms")
    print(f"  ratio {ratio:.2f}× DuckDB — goal ≤ {GOAL:g}×: {'met' if ratio <= GOAL else 'missed'}")
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
