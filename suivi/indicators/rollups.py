"""Territorial roll-ups: values computed up the territory tree when values change, never at page view.

Each indicator says how its values combine (``Indicator.aggregation``): a **sum**, a **mean
weighted by population** (the COG package's populations), or **not aggregable**. From the
published values:

    communes → EPCI (through membership) and → départements
    départements → régions → France

At each step a child counts with its reported value, or else with its own computed one: a
reported value always wins over a computed one, and both stay visible (``ComputedValue``
beside ``Observation``). The database does the grouping; Python only sees one row per parent.
``recompute`` is called by ``data_changed`` with the (indicator, date) pairs a change set
touched, inside its transaction: pages read the stored result, and a crash leaves both as they were.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count

from suivi.bulk import insert_rows
from suivi.indicators.models import Aggregation, ComputedValue, Indicator, Observation
from suivi.territories.models import COUNTRY_CODE, Level, Territory


def level_range(level: str) -> dict:
    """Typed codes of one level as a range of the key (``com:`` ≤ code < ``com;``), which the
    (indicator, territory, date) index reads directly, with no join to find the level."""
    return {"territory_id__gte": f"{level}:", "territory_id__lt": f"{level};"}


CHAIN = [
    # (child level, parent key on the child, parent level)
    (Level.COMMUNE, "departement_id", Level.DEPARTEMENT),
    (Level.DEPARTEMENT, "region_id", Level.REGION),
    (Level.REGION, None, Level.COUNTRY),
]
WEIGHT_PRECISION = Decimal("0.0001")


def _published(indicator: Indicator, dates: list[datetime.date]):
    return Observation.objects.filter(indicator=indicator, date__in=dates, status="published")


def _number(total) -> Decimal:
    """A sum as the database gives it (SQLite: int or float; PostgreSQL: Decimal)."""
    if isinstance(total, Decimal):
        return total
    return Decimal(str(total)) if isinstance(total, float) else Decimal(total)


def _commune_totals(indicator: Indicator, dates: list[datetime.date], parent: str, weighted: bool):
    """(parent, date, precision, sum or weighted sum, weight, count) of the communes' published
    values, grouped by the database in one query read through the cursor (no model rows, no
    per-row Decimal conversion: 35,000 rows become about 1,300)."""
    observations = Observation._meta.db_table
    territories = Territory._meta.db_table
    if parent == "epci":
        members = Territory.members.through._meta.db_table
        join = f"JOIN {members} m ON m.to_territory_id = o.territory_id"
        key = "m.from_territory_id"
    else:
        join = ""
        key = "t.departement_id"
    if weighted or parent != "epci":
        join += f" JOIN {territories} t ON t.code = o.territory_id"
    if weighted:
        sums = "SUM(o.value * t.population), SUM(t.population)"
        population = " AND t.population > 0"
    else:
        sums, population = "SUM(o.value), NULL", ""
    adapt = connection.ops.adapt_datefield_value
    placeholders = ", ".join(["%s"] * len(dates))
    low, high = level_range(Level.COMMUNE).values()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {key}, o.date, o.date_precision, {sums}, COUNT(*) FROM {observations} o {join} "
            f"WHERE o.indicator_id = %s AND o.status = 'published' AND o.date IN ({placeholders}) "
            f"AND o.territory_id >= %s AND o.territory_id < %s{population} AND {key} IS NOT NULL "
            "GROUP BY 1, 2, 3",
            [indicator.pk, *(adapt(d) for d in dates), low, high],
        )
        for code, date, precision, total, weight, count in cursor.fetchall():
            if isinstance(date, str):
                date = datetime.date.fromisoformat(date)
            yield code, date, precision, _number(total), weight, count


COMPUTED_COLUMNS = [
    "indicator_id", "territory_id", "date", "date_precision", "value", "method", "children", "children_expected"
]  # fmt: skip


Carried = dict[tuple[str, datetime.date], tuple[Decimal, Decimal, str]]  # (code, date) → (value, weight, precision)


@transaction.atomic
def recompute(indicator: Indicator, dates: list[datetime.date]) -> int:
    """Recompute every roll-up of ``indicator`` at ``dates``, all or nothing; returns the number
    of computed values."""
    ComputedValue.objects.filter(indicator=indicator, date__in=dates).delete()
    if indicator.aggregation == Aggregation.NONE or not dates:
        return 0
    weighted = indicator.aggregation == Aggregation.MEAN
    method = "population" if weighted else "sum"
    expected = _children_counts()
    published = _published(indicator, dates)
    computed: list[tuple] = []

    def keep(level, parent, date, precision, total, weight, count) -> tuple[Decimal, Decimal, str] | None:
        if weighted and not weight:
            return None
        value = (Decimal(total) / Decimal(weight)).quantize(WEIGHT_PRECISION) if weighted else Decimal(total)
        computed.append((indicator.pk, parent, date, precision, value, method, count, expected.get((level, parent), 0)))
        return value, Decimal(weight or 0), precision

    # Communes → EPCI (through membership), a side branch; communes → départements, in the database.
    for parent, date, precision, total, weight, count in _commune_totals(indicator, dates, "epci", weighted):
        keep(Level.EPCI, parent, date, precision, total, weight, count)
    carried: Carried = {}
    for parent, date, precision, total, weight, count in _commune_totals(indicator, dates, "departement", weighted):
        if kept := keep(Level.DEPARTEMENT, parent, date, precision, total, weight, count):
            carried[(parent, date)] = kept

    # Départements → régions → France: a child's reported value wins over its computed one.
    for child_level, parent_key, parent_level in CHAIN[1:]:
        effective: Carried = dict(carried)
        for code, date, value, population, precision in published.filter(**level_range(child_level)).values_list(
            "territory_id", "date", "value", "territory__population", "date_precision"
        ):
            effective[(code, date)] = (value, Decimal(population or 0), precision)
        parents = _parents(child_level, parent_key, {code for code, _ in effective})
        sums: dict[tuple[str, datetime.date], list] = defaultdict(lambda: [Decimal(0), Decimal(0), 0, ""])
        for (code, date), (value, weight, precision) in effective.items():
            parent = parents.get(code)
            if parent is None:
                continue
            entry = sums[(parent, date)]
            entry[0] += Decimal(value) * weight if weighted else Decimal(value)
            entry[1] += weight
            entry[2] += 1
            entry[3] = precision
        carried = {}
        for (parent, date), (total, weight, count, precision) in sorted(sums.items()):
            if kept := keep(parent_level, parent, date, precision, total, weight, count):
                carried[(parent, date)] = kept
    # The engine's bulk path: Django's bulk_create spent more time preparing 1,400 model instances
    # than the database took to group 35,000 values.
    insert_rows(ComputedValue._meta.db_table, COMPUTED_COLUMNS, computed)
    return len(computed)


def _parents(level: str, key: str | None, codes: set[str]) -> dict[str, str]:
    if key is None:
        return dict.fromkeys(codes, COUNTRY_CODE)
    return dict(Territory.objects.filter(level=level, code__in=codes).values_list("code", key))


_EXPECTED: dict | None = None


def _children_counts() -> dict[tuple[str, str], int]:
    """How many children each parent has (current territories), to say how complete a roll-up is."""
    global _EXPECTED
    if _EXPECTED is None:
        counts: dict[tuple[str, str], int] = {}
        current = Territory.objects.filter(current=True)
        for parent, n in current.filter(level=Level.COMMUNE).values_list("departement_id").annotate(n=Count("code")):
            counts[(Level.DEPARTEMENT, parent)] = n
        for parent, n in current.filter(level=Level.DEPARTEMENT).values_list("region_id").annotate(n=Count("code")):
            counts[(Level.REGION, parent)] = n
        counts[(Level.COUNTRY, COUNTRY_CODE)] = current.filter(level=Level.REGION).count()
        for parent, n in Territory.members.through.objects.values_list("from_territory_id").annotate(n=Count("pk")):
            counts[("epci", parent)] = n
        _EXPECTED = counts
    return _EXPECTED


def forget_territories() -> None:
    """Called when the COG is reloaded: the children counts change."""
    global _EXPECTED
    _EXPECTED = None


def recompute_changed(change_set) -> int:
    """Roll up again what one change set touched: its values' (indicator, date) pairs."""
    History = Observation.history.model
    # order_by(): the history's default ordering would join the DISTINCT and make it one row per value.
    pairs = History.objects.filter(change_set=change_set).order_by().values_list("indicator_id", "date").distinct()
    by_indicator: dict[int, set[datetime.date]] = defaultdict(set)
    for indicator_id, date in pairs.iterator():
        by_indicator[indicator_id].add(date)
    total = 0
    for indicator in Indicator.objects.filter(pk__in=by_indicator):
        total += recompute(indicator, sorted(by_indicator[indicator.pk]))
    return total


def discrepancies(programme=None, tolerance: Decimal = Decimal("0.01")):
    """Where a reported value and the roll-up of its children disagree beyond ``tolerance``
    (relative): yields (computed value, reported value)."""
    computed = ComputedValue.objects.select_related("indicator__measure__programme", "territory")
    if programme is not None:
        computed = computed.filter(indicator__measure__programme=programme)
    order = ("indicator__measure__programme__slug", "indicator__slug", "territory_id", "date")
    batch: list[ComputedValue] = []
    for value in computed.order_by(*order).iterator(chunk_size=2000):
        batch.append(value)
        if len(batch) == 2000:
            yield from _disagreeing(batch, tolerance)
            batch = []
    yield from _disagreeing(batch, tolerance)


def _disagreeing(batch: list[ComputedValue], tolerance: Decimal):
    """The reported values of a batch of computed ones, in one query (not one per value)."""
    if not batch:
        return
    stated = {
        (indicator_id, territory_id, date): value
        for indicator_id, territory_id, date, value in Observation.objects.filter(
            status="published",
            indicator_id__in={v.indicator_id for v in batch},
            territory_id__in={v.territory_id for v in batch},
            date__in={v.date for v in batch},
        ).values_list("indicator_id", "territory_id", "date", "value")
    }
    for value in batch:
        reported = stated.get((value.indicator_id, value.territory_id, value.date))
        if reported is None:
            continue
        base = abs(reported) or Decimal(1)
        if abs(reported - value.value) / base > tolerance:
            yield value, reported


def recompute_all(programme=None) -> int:
    """Every roll-up of every aggregable indicator (of ``programme``), from scratch."""
    indicators = Indicator.objects.exclude(aggregation=Aggregation.NONE)
    if programme is not None:
        indicators = indicators.filter(measure__programme=programme)
    total = 0
    for indicator in indicators:
        dates = sorted(
            Observation.objects.filter(indicator=indicator, status="published")
            .order_by()
            .values_list("date", flat=True)
            .distinct()
        )
        total += recompute(indicator, dates)
    return total
