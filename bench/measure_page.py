"""Server time of the public pages on the CIEC data, against their goals.

Run with ``make bench`` (it loads the embedded database first). Each page is
rendered in-process through Django's test client (the full middleware and template
stack, no network), after a warm-up; the script prints the median and 95th
percentile, the number of SQL queries, and the ratio of the median to the goal
(below 1 is within it). Exit code 1 if a goal is missed.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suivi.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

# (page, URL, goal in milliseconds of server time)
PAGES = [
    ("measure", "/programmes/ciec/mesures/acces-des-quartiers-prioritaires-a-la-politique-de-l-emploi/", 50),
    ("measure (conservatoires)", "/programmes/ciec/mesures/reseau-des-conservatoires/", 50),
    ("home", "/", 100),
    ("département", "/territoires/dep-28/", 100),
    ("France", "/territoires/fr/", 150),
    ("search", "/recherche/?q=jeunes", 100),
]
RUNS = int(os.environ.get("BENCH_RUNS", "100"))


def measure(client: Client, url: str) -> tuple[list[float], int]:
    for _ in range(5):
        client.get(url, HTTP_HOST="localhost")
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url, HTTP_HOST="localhost")
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, HTTP_HOST="localhost")
    return times, len(queries)


def main() -> int:
    client = Client()
    print(f"{'page':28} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'goal ms':>8} {'ratio':>6}")
    missed = 0
    for name, url, goal in PAGES:
        times, queries = measure(client, url)
        median = statistics.median(times)
        p95 = statistics.quantiles(times, n=20)[18]
        ratio = median / goal
        missed += ratio > 1
        print(f"{name:28} {median:10.1f} {p95:8.1f} {queries:8d} {goal:8d} {ratio:6.2f}")
    print(f"{RUNS} runs each, database: {connection.vendor}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
