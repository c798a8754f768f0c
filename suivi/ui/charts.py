"""Glue to ``@gouvfr/dsfr-chart``'s web components."""

from __future__ import annotations

import functools
import re

from django.conf import settings

_DEPARTMENT_REGION = re.compile(r'department_value:\s*"(\w+)",\s*region:\s*"[^"]*",\s*region_value:\s*"(\w+)"')


@functools.cache
def chart_region_codes() -> dict[str, str]:
    """Département INSEE code → the région code ``<map-chart-reg>`` expects ("28" → "CVL").

    The component keys régions by their ISO 3166-2 suffix, not by INSEE code; we read
    its own table rather than keep a copy that could drift from its geometry.
    """
    script = settings.NODE_MODULES_DIR / "@gouvfr" / "dsfr-chart" / "dist" / "DSFRChart" / "DSFRChart.js"
    try:
        return dict(_DEPARTMENT_REGION.findall(script.read_text(encoding="utf-8")))
    except OSError:
        return {}


def chart_region(departement_codes: list[str]) -> str | None:
    """The ``<map-chart-reg>`` code of the région holding these départements, if the component knows it."""
    codes = chart_region_codes()
    return next((codes[code] for code in departement_codes if code in codes), None)
