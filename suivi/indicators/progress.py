"""Progress toward targets, computed one way everywhere (see docs/adr/0004-progress.md).

- progress = (current − baseline) / (target − baseline); the raw ratio is kept and a
  copy clamped to [0, 1] is what pages draw. For "lower is better" the same formula
  holds: both differences are negative.
- expected progress at a date is linear from the baseline date to the deadline.
- the status compares the two, after the cases that need no comparison.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from suivi.indicators.models import Direction, Indicator, Observation
from suivi.sources.precision import DatePrecision

# How far behind the expected progress a value may be and still be "en bonne voie".
TOLERANCE = Decimal("0.1")


class ProgressStatus(models.TextChoices):
    REACHED = "reached", _("atteint")
    ON_TRACK = "on_track", _("en bonne voie")
    LATE = "late", _("en retard")
    IN_PROGRESS = "in_progress", _("en cours")
    NO_RECENT_DATA = "no_recent_data", _("non renseigné")
    NO_TARGET = "no_target", _("sans cible chiffrée")
    ABANDONED = "abandoned", _("abandonné")


# DSFR badge colours for each status.
STATUS_BADGE = {
    ProgressStatus.REACHED: "success",
    ProgressStatus.ON_TRACK: "info",
    ProgressStatus.LATE: "warning",
    ProgressStatus.IN_PROGRESS: "new",
    ProgressStatus.NO_RECENT_DATA: "",
    ProgressStatus.NO_TARGET: "",
    ProgressStatus.ABANDONED: "error",
}


def period_end(date: datetime.date, precision: str) -> datetime.date:
    """The last day of the period a partial date names: "2018" → 31 December 2018."""
    if precision == DatePrecision.YEAR:
        return datetime.date(date.year, 12, 31)
    months = {DatePrecision.QUARTER: 3, DatePrecision.MONTH: 1}.get(precision)
    if months is None:
        return date
    month = date.month + months
    first_of_next = datetime.date(date.year + (month > 12), (month - 1) % 12 + 1, 1)
    return first_of_next - datetime.timedelta(days=1)


def add_months(date: datetime.date, months: int) -> datetime.date:
    """Same day ``months`` later, or the month's last day: 31 January + 1 month = 28 or 29 February."""
    month = date.month - 1 + months
    year, month = date.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(date.day, calendar.monthrange(year, month)[1]))


def is_stale(indicator: Indicator, observation: Observation, today: datetime.date) -> bool:
    """Older than the indicator's update cadence, counted from the end of the value's period."""
    end = period_end(observation.date, observation.date_precision)
    return add_months(end, indicator.update_cadence_months) < today


@dataclass(frozen=True)
class Progress:
    status: str
    current: Observation | None = None
    baseline: Decimal | None = None
    target: Decimal | None = None
    ratio: Decimal | None = None
    expected: Decimal | None = None
    stale: bool = False

    @property
    def clamped(self) -> Decimal | None:
        return None if self.ratio is None else min(max(self.ratio, Decimal(0)), Decimal(1))

    @property
    def percent(self) -> int | None:
        return None if self.clamped is None else int((self.clamped * 100).to_integral_value())

    @property
    def status_label(self) -> str:
        return ProgressStatus(self.status).label

    @property
    def badge(self) -> str:
        return STATUS_BADGE[ProgressStatus(self.status)]


def baseline_of(indicator: Indicator) -> Decimal | None:
    """The stated baseline; for a count of new things with none stated, zero."""
    if indicator.baseline_value is not None:
        return indicator.baseline_value
    return Decimal(0) if indicator.direction == Direction.INCREASE else None


def target_of(indicator: Indicator, baseline: Decimal | None) -> Decimal | None:
    if indicator.target_value is not None:
        return indicator.target_value
    if indicator.target_factor is not None and indicator.baseline_value is not None:
        return indicator.baseline_value * indicator.target_factor
    return None


def expected_at(today: datetime.date, start: datetime.date | None, deadline: datetime.date | None) -> Decimal | None:
    if start is None or deadline is None or deadline <= start:
        return None
    elapsed = Decimal((today - start).days) / Decimal((deadline - start).days)
    return min(max(elapsed, Decimal(0)), Decimal(1))


def compute(
    indicator: Indicator,
    current: Observation | None,
    today: datetime.date,
    start: datetime.date | None = None,
    abandoned: bool = False,
) -> Progress:
    """The progress of ``indicator`` given its latest value ``current``.

    ``start`` is when progress is counted from when the indicator states no baseline
    date (the date of the decision that created the measure).
    """
    if abandoned:
        return Progress(ProgressStatus.ABANDONED, current)
    baseline = baseline_of(indicator)
    target = target_of(indicator, baseline)
    stale = current is not None and is_stale(indicator, current, today)
    if target is None or baseline is None or target == baseline:
        status = ProgressStatus.NO_RECENT_DATA if current is None or stale else ProgressStatus.NO_TARGET
        return Progress(status, current, baseline, target, stale=stale)
    if current is None:
        return Progress(ProgressStatus.NO_RECENT_DATA, None, baseline, target)
    ratio = (current.value - baseline) / (target - baseline)
    deadline = period_end(indicator.target_deadline, indicator.target_precision) if indicator.target_deadline else None
    as_of = period_end(current.date, current.date_precision)
    expected = expected_at(as_of, indicator.baseline_date or start, deadline)
    if ratio >= 1:
        status = ProgressStatus.REACHED
    elif stale:
        status = ProgressStatus.NO_RECENT_DATA
    elif expected is None:
        status = ProgressStatus.IN_PROGRESS
    elif ratio >= expected - TOLERANCE:
        status = ProgressStatus.ON_TRACK
    else:
        status = ProgressStatus.LATE
    return Progress(status, current, baseline, target, ratio, expected, stale)


@dataclass(frozen=True)
class Rollup:
    status: str
    percent: int | None

    @property
    def status_label(self) -> str:
        return ProgressStatus(self.status).label

    @property
    def badge(self) -> str:
        return STATUS_BADGE[ProgressStatus(self.status)]


_SEVERITY = [
    ProgressStatus.LATE,
    ProgressStatus.NO_RECENT_DATA,
    ProgressStatus.IN_PROGRESS,
    ProgressStatus.ON_TRACK,
    ProgressStatus.REACHED,
]


def rollup(progresses: list[tuple[Progress, Decimal]], abandoned: bool = False, done: bool = False) -> Rollup:
    """A measure's progress from its indicators' (progress, weight) pairs, as decidim rolls results up.

    The percentage is the weighted mean of the indicators that have one; the status is
    the least favourable among indicators with a target.
    """
    if abandoned:
        return Rollup(ProgressStatus.ABANDONED, None)
    measured = [(p, w) for p, w in progresses if p.clamped is not None]
    total = sum((w for _, w in measured), Decimal(0))
    percent = int((sum(p.clamped * w for p, w in measured) / total * 100).to_integral_value()) if total else None
    if done:
        return Rollup(ProgressStatus.REACHED, percent)
    statuses = {p.status for p, _ in progresses if p.status != ProgressStatus.NO_TARGET}
    for status in _SEVERITY:
        if status in statuses:
            return Rollup(status, percent)
    return Rollup(ProgressStatus.NO_TARGET, percent)
