"""Small line charts drawn as SVG on the server, for reports (no JavaScript in a PDF).

Each chart is an image with a text alternative; the report prints its data as a table
beside it, so nothing is only in the picture.
"""

from __future__ import annotations

from decimal import Decimal
from xml.sax.saxutils import escape

from suivi.ui.formatting import long_quantity

WIDTH, HEIGHT = 480, 150
LEFT, RIGHT, TOP, BOTTOM = 12, 12, 22, 26
BLUE = "#000091"
GREY = "#929292"
# SVG text does not inherit the page's fonts in WeasyPrint: each label names its own.
FONT = "Marianne, Arial, sans-serif"


def line_chart(title: str, labels: list[str], values: list[Decimal], unit: str) -> str:
    """An SVG line from the first to the last value, each point labelled with its value."""
    low, high = min(values), max(values)
    floor = min(low, Decimal(0)) if low >= 0 else low
    span = (high - floor) or Decimal(1)
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = inner_w / max(len(values) - 1, 1)

    def y(value: Decimal) -> float:
        return TOP + inner_h - float((value - floor) / span) * inner_h

    points = [(LEFT + i * step, y(v)) for i, v in enumerate(values)]
    summary = ", ".join(f"{label} : {long_quantity(v, unit)}" for label, v in zip(labels, values, strict=True))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" class="chart">',
        f"<title>{escape(title)}</title><desc>{escape(summary)}</desc>",
        f'<line x1="{LEFT}" y1="{TOP + inner_h}" x2="{WIDTH - RIGHT}" y2="{TOP + inner_h}" stroke="{GREY}"/>',
        '<polyline fill="none" stroke="{}" stroke-width="2.5" points="{}"/>'.format(
            BLUE, " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        ),
    ]
    # Label every value when they fit (six), every date when they do (four), else the ends only.
    shown = range(len(points)) if len(points) <= 6 else (0, len(points) - 1)
    dated = range(len(points)) if len(points) <= 4 else (0, len(points) - 1)
    for i, (px, py) in enumerate(points):
        parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="{BLUE}"/>')
        anchor = "start" if i == 0 else "end" if i == len(points) - 1 else "middle"
        if i in shown:
            value = long_quantity(values[i], "" if unit not in ("%", "€") else unit)
            parts.append(
                f'<text x="{px:.1f}" y="{py - 8:.1f}" text-anchor="{anchor}" font-family="{FONT}" font-size="11" '
                f'font-weight="700" fill="{BLUE}">{escape(value)}</text>'
            )
        if i in dated:
            parts.append(
                f'<text x="{px:.1f}" y="{HEIGHT - 8}" text-anchor="{anchor}" font-family="{FONT}" font-size="10" '
                f'fill="#3a3a3a">{escape(labels[i])}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
