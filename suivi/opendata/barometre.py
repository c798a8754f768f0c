"""Export a programme's indicators in the layout of the Baromètre des résultats' published files.

Six files, named and laid out as Etalab publishes them: ``synthese`` (one row per indicator
and territory: initial, current and target values with dates, progress, % of target, unit)
and ``detail`` (the history), each at ``national``, ``regional`` and ``departemental`` level.
Tools built for that dataset read ours unchanged: same columns, same order, numbers written
``19.0``, dates ``2016-12-31`` (the Baromètre dates a value at the end of its period).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from suivi.catalogue.models import Programme
from suivi.indicators.models import Indicator, Observation
from suivi.indicators.progress import compute, period_end
from suivi.territories.models import COUNTRY_CODE, Level

PLACE_COLUMNS = {
    "national": ["maille_geographique"],
    "regional": ["code_region", "libelle_region"],
    "departemental": ["code_departement", "libelle_departement"],
}
LEVELS = {"national": Level.COUNTRY, "regional": Level.REGION, "departemental": Level.DEPARTEMENT}
SYNTHESIS_VALUES = [
    "valeur_actuelle",
    "date_valeur_actuelle",
    "valeur_initiale",
    "date_valeur_initiale",
    "progression",
    "pourcentage_progression",
    "progression_derniere_maj",
    "pourcentage_progression_derniere_maj",
    "progression_derniere_maj_date",
    "cible",
    "pourcentage_cible",
    "date_cible",
    "unite",
]
FILES = [f"{kind}-{level}" for kind in ("synthese", "detail") for level in LEVELS]


def header(kind: str, level: str) -> list[str]:
    head = ["mesure", "indicateur", "id_indicateur", *PLACE_COLUMNS[level]]
    return head + (SYNTHESIS_VALUES if kind == "synthese" else ["date", "valeur", "unite"])


def number(value: Decimal | float | None) -> str:
    """Written as the Baromètre writes it: ``100.0``, ``0.5``, empty when unknown."""
    return "" if value is None else repr(float(value))


def percent(part: Decimal | None, whole: Decimal | None) -> str:
    if part is None or not whole:
        return ""
    return number(round(part / whole * 100))


def day(date, precision) -> str:
    return period_end(date, precision).isoformat() if date is not None else ""


def indicator_ids(indicators: list[Indicator]) -> dict[int, str]:
    """The indicator's slug, or measure-slug when two measures use the same one."""
    counts = defaultdict(int)
    for indicator in indicators:
        counts[indicator.slug] += 1
    return {i.pk: i.slug if counts[i.slug] == 1 else f"{i.measure.slug}-{i.slug}" for i in indicators}


def place(observation: Observation, level: str) -> list[str]:
    if level == "national":
        return ["national"]
    return [observation.territory.insee_code, observation.territory.name]


def synthesis_values(indicator: Indicator, history: list[Observation]) -> list[str]:
    """The synthesis columns; % of target is the ratio of ``suivi.indicators.progress``, as on the site."""
    current = history[-1]
    previous = history[-2] if len(history) > 1 else None
    stated = indicator.baseline_value
    progress = compute(indicator, current, timezone.localdate())
    since_previous = current.value - previous.value if previous is not None else None
    return [
        number(current.value),
        day(current.date, current.date_precision),
        number(stated),
        day(indicator.baseline_date, indicator.baseline_precision) if stated is not None else "",
        number(current.value - stated) if stated is not None else "",
        percent(current.value - stated, stated) if stated is not None else "",
        number(previous.value) if previous else "",
        percent(since_previous, previous.value if previous else None),
        day(previous.date, previous.date_precision) if previous else "",
        number(progress.target),
        number(round(progress.ratio * 100)) if progress.ratio is not None else "",
        day(indicator.target_deadline, indicator.target_precision) if indicator.target_deadline else "",
        indicator.unit,
    ]


def rows(programme: Programme, kind: str, level: str) -> list[list[str]]:
    indicators = list(
        Indicator.objects.public()
        .filter(measure__programme=programme)
        .select_related("measure")
        .order_by("measure__position", "position", "slug")
    )
    ids = indicator_ids(indicators)
    observations = (
        Observation.objects.public()
        .filter(indicator__in=indicators, territory__level=LEVELS[level])
        .select_related("territory")
        .order_by("territory_id", "date")
    )
    histories: dict[tuple[int, str], list[Observation]] = defaultdict(list)
    for observation in observations:
        histories[observation.indicator_id, observation.territory_id].append(observation)
    result = []
    for indicator in indicators:
        keys = sorted(key for key in histories if key[0] == indicator.pk)
        keys.sort(key=lambda key: key[1] != COUNTRY_CODE)
        for key in keys:
            history = histories[key]
            lead = [indicator.measure.title, indicator.name, ids[indicator.pk], *place(history[0], level)]
            if kind == "synthese":
                result.append(lead + synthesis_values(indicator, history))
            else:
                result.extend([*lead, day(o.date, o.date_precision), number(o.value), indicator.unit] for o in history)
    return result


def to_csv(programme: Programme, name: str) -> str:
    """One of ``FILES`` (e.g. ``synthese-national``) as the Baromètre's CSV."""
    kind, level = name.split("-", 1)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header(kind, level))
    writer.writerows(rows(programme, kind, level))
    return buffer.getvalue()
