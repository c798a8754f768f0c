"""Time to make the progress reports, against their goals.

Run with ``make bench`` (it loads the embedded database first: the CIEC and the whole
Baromètre). Each report is made whole, as ``manage.py report`` makes it: the data read
through the snapshot, the HTML rendered, the PDF composed by WeasyPrint. The script prints
the median of a few runs, the page count, and the ratio to the goal (below 1 is within it).
Exit code 1 if a goal is missed.

    .venv/bin/python bench/report.py            # 3 runs of each
    BENCH_RUNS=5 .venv/bin/python bench/report.py
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suivi.settings")

import django

django.setup()

from django.utils import timezone  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from suivi.reports import build, services  # noqa: E402

# (name, programme, scope, format, goal in seconds)
REPORTS = [
    ("CIEC, whole programme", "ciec", {}, "pdf", 10),
    ("CIEC, whole programme", "ciec", {}, "html", 10),
    ("Baromètre, Indre (dep:36)", "barometre", {"territory": "dep:36"}, "pdf", 20),
    ("Baromètre, Nord (dep:59)", "barometre", {"territory": "dep:59"}, "pdf", 20),
    # The same, read from the history (``--as-of``) rather than the live tables.
    ("Baromètre, Indre, --as-of", "barometre", {"territory": "dep:36", "as_of": "now"}, "pdf", 20),
]
RUNS = int(os.environ.get("BENCH_RUNS", "3"))


def make(programme: str, scope: dict, fmt: str) -> tuple[float, float, bytes]:
    if scope.get("as_of") == "now":
        scope = scope | {"as_of": timezone.now()}
    start = time.perf_counter()
    report = build.build(programme, **scope)
    read = time.perf_counter() - start
    data = services.make(report, fmt)
    return time.perf_counter() - start, read, data


def main() -> int:
    make("ciec", {}, "pdf")  # warm-up: fonts, templates, pango
    print(f"{'report':28} {'fmt':>4} {'median s':>9} {'reading s':>10} {'pages':>6} {'goal s':>7} {'ratio':>6}")
    missed = 0
    for name, programme, scope, fmt, goal in REPORTS:
        runs = [make(programme, scope, fmt) for _ in range(RUNS)]
        median = statistics.median(r[0] for r in runs)
        reading = statistics.median(r[1] for r in runs)
        data = runs[-1][2]
        pages = len(PdfReader(io.BytesIO(data)).pages) if fmt == "pdf" else "-"
        ratio = median / goal
        missed += ratio > 1
        print(f"{name:28} {fmt:>4} {median:9.2f} {reading:10.2f} {pages!s:>6} {goal:7} {ratio:6.2f}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
