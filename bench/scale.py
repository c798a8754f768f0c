"""Ten million values: import, memory and pages at scale, on SQLite and PostgreSQL.

A reproducible synthetic programme (``synthese``: 12 indicators in 3 measures, every current
commune, 24 months, so about 10 million values) is written as one long-format CSV, then for
each engine, in a database of its own:

1. **raw bulk load** of the same rows, the baseline: the CSV read with the ``csv`` module and
   inserted with ``executemany`` in one transaction (SQLite), or sent with ``COPY``
   (PostgreSQL), into a table shaped like the values table, without its indexes;
2. **import through the real import path** (``manage.py import_values … --publish``, one
   process: every cell checked, staged, compared, written with its history in one change set),
   its time against the baseline (goal ≥ 0.5×) and its peak memory (goal < 500 MB);
3. **pages at that scale**: server time (p50, p95) of a département page, a measure page and the
   values API, through Django's test client with the public cache off (goal p95 < 100 ms), and
   the same pages before the import (the programme with no values), for the ratio.

    .venv/bin/python bench/scale.py                       # 10 million values, both engines
    .venv/bin/python bench/scale.py --values 1000000 --engine sqlite

``make bench`` runs it. Figures and causes: bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANAGE = ROOT / "manage.py"
PG_HOST = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
INDICATORS = [f"indicateur-{n:02d}" for n in range(1, 13)]
MEASURES = {f"mesure-{m}": INDICATORS[4 * (m - 1) : 4 * m] for m in (1, 2, 3)}
MONTHS = 24
PAGE_RUNS = int(os.environ.get("BENCH_RUNS", "60"))


def programme_document(path: Path) -> None:
    """The synthetic programme, as a programme document the real loader reads."""
    lines = [
        "format: suivi-programme/1",
        "programme:",
        "  slug: synthese",
        "  name: Programme synthétique de dix millions de valeurs",
        "  short_name: Synthèse",
        "  description: Programme de mesure des performances (bench/scale.py), aucune donnée réelle.",
        "documents:",
        "- slug: descriptif",
        "  title: Descriptif du programme synthétique (bench/scale.py)",
        "  url: https://example.org/suivi/bench/synthese",
        "axes:",
        "- slug: axe",
        "  name: Axe unique",
        "measures:",
    ]
    for measure, indicators in MEASURES.items():
        title = f"Mesure synthétique {measure[-1]}"
        lines += [f"- slug: {measure}", "  axis: axe", f"  title: {title}"]
        lines += [f"  source: {{document: descriptif, quote: {title}}}", "  indicators:"]
        for n, slug in enumerate(indicators):
            lines += [
                f"  - slug: {slug}",
                f"    name: Indicateur synthétique {slug[-2:]}",
                "    unit: unités",
                "    aggregation: sum",
                "    update_cadence_months: 1",
                "    geo_levels: [com, epci, dep, reg, fr]",
            ]
            if n == 0:
                lines += ["    target: {value: 1000000, deadline: '2026-12', sentence: 'Cible : un million'}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def communes(env: dict) -> list[str]:
    code = (
        "from suivi.territories.models import Territory;"
        "print('\\n'.join(Territory.objects.filter(level='com', current=True).order_by('code')"
        ".values_list('code', flat=True)))"
    )
    out = manage(env, "shell", "--no-imports", "-c", code).stdout
    return [line.removeprefix("com:") for line in out.split()]


def write_values(path: Path, codes: list[str], values: int) -> int:
    """Rows: indicator, INSEE code, month, value; deterministic. Returns the row count."""
    per_month = len(codes) * len(INDICATORS)
    months = min(MONTHS, max(1, math.ceil(values / per_month)))
    codes = codes[: max(1, math.ceil(values / (months * len(INDICATORS))))]
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["indicateur", "commune", "mois", "valeur"])
        for month in range(months):
            date = f"{2024 + month // 12}-{month % 12 + 1:02d}"
            for i, code in enumerate(codes):
                for k, slug in enumerate(INDICATORS):
                    out.writerow([slug, code, date, (i * 7919 + k * 104729 + month * 31) % 10000])
                    count += 1
    return count


MAPPING = """format: suivi-import/1
columns: {indicator: indicateur, territory: commune, date: mois, value: valeur}
territory: {level: com}
date: {precision: month}
"""


def manage(env: dict, *args: str, timed: bool = False) -> subprocess.CompletedProcess:
    command = [sys.executable, str(MANAGE), *args]
    if timed:
        command = ["/usr/bin/time", "-f", "TIME %e %M", *command]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result


def timed(result: subprocess.CompletedProcess) -> tuple[float, float]:
    """(seconds, peak MB) from GNU time's last line."""
    line = [x for x in result.stderr.splitlines() if x.startswith("TIME ")][-1]
    _tag, seconds, kilobytes = line.split()
    return float(seconds), int(kilobytes) / 1024


def raw_load(engine: str, env: dict, csv_path: Path, ids: dict[str, int]) -> float:
    """The baseline: the same rows into a table shaped like the values table, no indexes."""
    start = time.perf_counter()
    if engine == "sqlite":
        import sqlite3

        database = sqlite3.connect(Path(env["SUIVI_VAR_DIR"]) / "raw.sqlite3")
        database.execute(
            "CREATE TABLE raw (indicator_id integer, territory_id varchar(20), date date, value decimal, "
            "status varchar(10))"
        )
        with csv_path.open(encoding="utf-8") as handle:
            rows = csv.reader(handle)
            next(rows)
            with database:
                database.executemany(
                    "INSERT INTO raw VALUES (?, ?, ?, ?, 'published')",
                    ((ids[r[0]], "com:" + r[1], r[2] + "-01", r[3]) for r in rows),
                )
        database.close()
    else:
        import psycopg

        with psycopg.connect(env["DATABASE_URL"]) as database:
            # A logged table, as the values table is (an unlogged one skips the write-ahead log).
            database.execute(
                "CREATE TABLE raw (indicator_slug varchar(120), territory varchar(20), month varchar(7), "
                "value numeric(20, 4))"
            )
            copy_sql = "COPY raw FROM STDIN WITH (FORMAT csv, HEADER true)"
            with database.cursor().copy(copy_sql) as copy, csv_path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    copy.write(chunk)
    return time.perf_counter() - start


PAGES_SCRIPT = """
import json, os, statistics, sys, time
import django
django.setup()
import suivi.wsgi  # as the server runs: the application loaded, then frozen out of the collector (gc.freeze)
from django.test import Client
client = Client()
pages = [
    ("département (Indre)", "/territoires/dep-36/"),
    ("mesure", "/programmes/synthese/mesures/mesure-1/"),
    ("API : un indicateur, une commune",
     "/api/v1/observations?indicator=synthese/mesure-1/indicateur-01&territory=com:36044"),
    ("API : un indicateur, page 1 de toutes ses valeurs",
     "/api/v1/observations?indicator=synthese/mesure-1/indicateur-01"),
]
runs = int(os.environ.get("BENCH_RUNS", "60"))
result = {}
for name, url in pages:
    for _ in range(3):
        assert client.get(url, HTTP_HOST="localhost", secure=True).status_code == 200, url
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url, HTTP_HOST="localhost", secure=True)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    result[name] = (statistics.median(times), statistics.quantiles(times, n=20)[18])
print(json.dumps(result))
"""


def pages(env: dict) -> dict:
    import json

    out = manage(env, "shell", "--no-imports", "-c", PAGES_SCRIPT).stdout
    return json.loads(out.strip().splitlines()[-1])


def run_engine(engine: str, values: int, work: Path, keep: bool = False) -> int:
    """Run every measure on one engine; the number of goals missed."""
    print(f"\n== {engine} ==", flush=True)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"SUIVI_VAR_DIR": str(work / engine), "SECRET_KEY": "bench", "SUIVI_PAGE_CACHE": "false"}
    (work / engine).mkdir()
    database = None
    if engine == "postgresql":
        database = f"suivi_bench_{uuid.uuid4().hex[:8]}"
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", database], check=True)
        env["DATABASE_URL"] = f"{PG_HOST}/{database}"
    try:
        start = time.perf_counter()
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "load_territories", "-v", "0")
        document = work / "synthese.yaml"
        programme_document(document)
        manage(env, "load_programme", str(document))
        print(f"empty database, territories and programme: {time.perf_counter() - start:.0f} s", flush=True)
        csv_path = work / "valeurs.csv"
        if not csv_path.exists():
            start = time.perf_counter()
            rows = write_values(csv_path, communes(env), values)
            size = csv_path.stat().st_size / 1e6
            print(f"synthetic file: {rows:,} rows, {size:.0f} MB, written in {time.perf_counter() - start:.0f} s")
        rows = sum(1 for _ in csv_path.open(encoding="utf-8")) - 1
        (work / "mapping.yaml").write_text(MAPPING, encoding="utf-8")
        before = pages(env)

        code = (
            "from suivi.indicators.models import Indicator;"
            "print(';'.join(f'{i.slug}={i.pk}' for i in Indicator.objects.filter(measure__programme__slug='synthese')))"
        )
        ids = dict(p.split("=") for p in manage(env, "shell", "--no-imports", "-c", code).stdout.strip().split(";"))
        raw = raw_load(engine, env, csv_path, {k: int(v) for k, v in ids.items()})
        print(f"raw bulk load ({'executemany' if engine == 'sqlite' else 'COPY'}): {raw:.1f} s, "
              f"{rows / raw:,.0f} rows/s", flush=True)  # fmt: skip

        result = manage(
            env,
            "import_values",
            str(csv_path),
            "--programme",
            "synthese",
            "--mapping",
            str(work / "mapping.yaml"),
            "--publish",
            "-v",
            "0",
            timed=True,
        )
        seconds, peak = timed(result)
        ratio = raw / seconds
        print(
            f"import_values: {seconds:.1f} s, {rows / seconds:,.0f} rows/s, peak memory {peak:.0f} MB "
            f"(goal < 500 MB: {'met' if peak < 500 else 'missed'})\n"
            f"  speed vs raw bulk load: {ratio:.2f}× (goal ≥ 0.5×: {'met' if ratio >= 0.5 else 'missed'})",
            flush=True,
        )
        missed = (peak >= 500) + (ratio < 0.5)
        after = pages(env)
        print(f"{'page':48} {'p50 ms':>8} {'p95 ms':>8} {'p95 before':>11} {'× before':>9} {'goal p95':>9}")
        for name, (p50, p95) in after.items():
            previous = before[name][1]
            verdict = "met" if p95 < 100 else "missed"
            missed += p95 >= 100
            print(f"{name:48} {p50:8.1f} {p95:8.1f} {previous:11.1f} {p95 / previous:9.2f} {'<100 ' + verdict:>9}")
        print(f"({PAGE_RUNS} runs each, public cache off, {rows:,} values)", flush=True)
        return missed
    finally:
        if database and keep:
            print(f"kept PostgreSQL database {database}")
        elif database:
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", database], check=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--values", type=int, default=int(os.environ.get("BENCH_VALUES", "10000000")))
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--keep", action="store_true", help="keep the databases and files (SQLite; a PG database)")
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="suivi-scale-"))
    missed = 0
    try:
        for engine in ["sqlite", "postgresql"] if arguments.engine == "both" else [arguments.engine]:
            missed += run_engine(engine, arguments.values, work, arguments.keep)
    finally:
        if arguments.keep:
            print(f"kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
