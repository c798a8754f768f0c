"""Maps of France by département, drawn on the server as SVG.

The shapes are those of ``@gouvfr/dsfr-chart`` (the State's chart components, installed
from npm): we read them from its bundle rather than keep a copy that could drift. Drawing
on the server rather than through its ``<map-chart>`` components means the map shows
without JavaScript, says nothing we did not give it (the component's panel named the
région's first département as "Localisation" and printed an empty "Mise à jour"), and
every département is a link to its page.

Colours come from a five-step scale of DSFR colour tokens, so the map follows the light
and dark themes; a legend lists each step's range, and a table always doubles the map.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# A département's path in the bundle, and the literal frames of the overseas maps before them.
_TOKEN = re.compile(r'viewBox: "([^"]+)"|class: "FR-(\w+)",(?:\s*style: [^\n]*)?\s*d: "([^"]+)"')
METRO_FRAME = "0 0 1010 1010"
OVERSEAS_ORDER = ("971", "972", "973", "974", "976")
STEPS = 5  # 0, then four classes of counts


@dataclass(frozen=True)
class Shape:
    code: str
    path: str
    frame: str  # the view box of the SVG the path is drawn in
    bbox: tuple[float, float, float, float]  # (xmin, ymin, xmax, ymax) in that frame


@functools.cache
def shapes() -> dict[str, Shape]:
    """Every département's shape, by INSEE code (empty if the npm packages are not installed)."""
    from svgelements import Path

    bundle = settings.NODE_MODULES_DIR / "@gouvfr" / "dsfr-chart" / "dist" / "MapChart" / "MapChart.js"
    try:
        source = bundle.read_text(encoding="utf-8")
    except OSError:
        return {}
    frame = METRO_FRAME
    found: dict[str, Shape] = {}
    for match in _TOKEN.finditer(source):
        if match.group(1):
            frame = match.group(1)
            continue
        code, path = match.group(2), match.group(3)
        if not re.fullmatch(r"\d\d|2[AB]|97\d", code) or code in found:
            continue  # the bundle also holds régions' outlines
        found[code] = Shape(code, path, frame if code.startswith("97") else METRO_FRAME, tuple(Path(path).bbox()))
    return found


@dataclass
class Area:
    """One département on a map."""

    code: str
    name: str
    count: int | None  # None: drawn for context only (outside the map's région)
    step: int
    href: str | None
    current: bool
    shape: Shape

    @property
    def label(self) -> str:
        return f"{self.name} ({self.code}) : {initiatives_label(self.count or 0)}"


@dataclass
class Frame:
    view_box: str
    areas: list[Area]
    title: str = ""


@dataclass
class DepartementMap:
    main: Frame
    overseas: list[Frame]
    legend: list[tuple[int, str]]
    total: int


def initiatives_label(count: int) -> str:
    # French plurals (0 and 1 take the singular) come from the catalogue, see suivi/ui/plurals.py.
    return ngettext("%(counter)s initiative locale", "%(counter)s initiatives locales", count) % {"counter": count}


def steps(maximum: int) -> list[tuple[int, int]]:
    """The (low, high) count of each colour step after zero: one per count up to 4, else four even classes."""
    if maximum <= 0:
        return []
    if maximum <= STEPS - 1:
        return [(n, n) for n in range(1, maximum + 1)]
    width = math.ceil(maximum / (STEPS - 1))
    return [(1 + i * width, min(maximum, (i + 1) * width)) for i in range(STEPS - 1) if 1 + i * width <= maximum]


def step_of(count: int, bounds: list[tuple[int, int]]) -> int:
    """The colour of ``count``: 0 for none, else spread to end on the darkest (two steps: 2 and 4)."""
    index = next((i + 1 for i, (low, high) in enumerate(bounds) if low <= count <= high), 0)
    return math.ceil(index * (STEPS - 1) / len(bounds)) if index else 0


def departement_map(
    counts: dict[str, int],
    names: dict[str, str],
    links: dict[str, str],
    *,
    focus: set[str] | None = None,
    current: str | None = None,
    total: int = 0,
) -> DepartementMap | None:
    """The map of ``counts`` (INSEE code → initiatives) over ``names`` (the départements drawn in colour).

    ``focus``: draw only around these départements (a région's), the others in grey for
    context; ``current``: the département whose page this is, outlined.
    """
    drawn = shapes()
    if not drawn:
        return None
    bounds = steps(max(counts.values(), default=0))
    legend = [(0, _("aucune"))] + [
        (step_of(low, bounds), str(low) if low == high else _("%(low)s à %(high)s") % {"low": low, "high": high})
        for low, high in bounds
    ]

    def area(code: str, context: bool = False) -> Area:
        count = None if context else counts.get(code, 0)
        return Area(
            code=code,
            name=names.get(code, code),
            count=count,
            step=step_of(count or 0, bounds),
            href=None if context else links.get(code),
            current=code == current,
            shape=drawn[code],
        )

    in_colour = [code for code in sorted(names) if code in drawn]
    metro = [code for code in in_colour if not code.startswith("97")]
    overseas = [code for code in OVERSEAS_ORDER if code in in_colour]
    if focus is None:
        main = Frame(METRO_FRAME, [area(code) for code in metro])
        others = [Frame(drawn[code].frame, [area(code)], names.get(code, code)) for code in overseas]
        return DepartementMap(main, others, legend, total)
    if metro:
        box = _padded([drawn[code].bbox for code in metro])
        context = [
            code
            for code, shape in drawn.items()
            if code not in names and not code.startswith("97") and _overlaps(shape.bbox, box)
        ]
        main = Frame(_view_box(box), [area(code, context=True) for code in sorted(context)] + [area(c) for c in metro])
    else:
        code = overseas[0]
        main = Frame(drawn[code].frame, [area(code)], names.get(code, code))
    return DepartementMap(main, [], legend, total)


def _padded(boxes: list[tuple[float, float, float, float]], margin: float = 0.06) -> tuple[float, float, float, float]:
    xmin, ymin = min(b[0] for b in boxes), min(b[1] for b in boxes)
    xmax, ymax = max(b[2] for b in boxes), max(b[3] for b in boxes)
    side = max(xmax - xmin, ymax - ymin) * (1 + 2 * margin)
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    return (cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2)


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _view_box(box: tuple[float, float, float, float]) -> str:
    xmin, ymin, xmax, ymax = box
    return f"{xmin:g} {ymin:g} {xmax - xmin:g} {ymax - ymin:g}"
