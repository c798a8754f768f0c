"""Progress toward targets, computed one way everywhere (see docs/adr/0004-progress.md and /methode/).

- progress = (current − baseline) / (target − baseline), only with a baseline a source
  states (or zero for a count of new things since the programme began); the raw ratio is
  kept and a copy clamped to [0, 1] is what pages draw. For "lower is better" the same
  formula holds: both differences are negative.
- the status is evaluated at the date of the latest value, never today: expected progress at
  that date is linear from the baseline's date to the deadline; after the deadline the target
  is reached or not. Staleness (the value is older than the indicator's cadence) is a
  separate flag, not a status.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from suivi.indicators.models import Direction, Indicator, Observation, TerritorialTarget
from suivi.sources.precision import DatePrecision

# How far behind the expected progress a value may be and still be "en bonne voie".
TOLERANCE = Decimal("0.1")


class ProgressStatus(models.TextChoices):
    REACHED = "reached", _("atteint")
    ON_TRACK = "on_track", _("en bonne voie")
    LATE = "late", _("en retard")
    NOT_REACHED = "not_reached", _("non atteint")
    # A target and a value, but no stated baseline or no deadline to compare the pace with.
    PENDING = "pending", _("cible pas encore atteinte")
    NO_DATA = "no_data", _("non renseigné")
    NO_TARGET = "no_target", _("sans cible")
    ABANDONED = "abandoned", _("abandonné")


# DSFR badge colours for each status.
STATUS_BADGE = {
    ProgressStatus.REACHED: "success",
    ProgressStatus.ON_TRACK: "info",
    ProgressStatus.LATE: "warning",
    ProgressStatus.NOT_REACHED: "error",
    ProgressStatus.PENDING: "new",
    ProgressStatus.NO_DATA: "",
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
    as_of: datetime.date | None = None  # the last day of the latest value's period

    @property
    def has_status(self) -> bool:
        """Whether there is a status to show (an indicator without a target shows only its value)."""
        return self.status != ProgressStatus.NO_TARGET

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
    """The baseline a source states; for a count of new things since the programme began, zero."""
    if indicator.baseline_value is not None:
        return indicator.baseline_value
    return Decimal(0) if indicator.cumulative else None


def target_of(indicator: Indicator, baseline: Decimal | None) -> Decimal | None:
    """The target as a number: stated, or relative to the stated baseline (× factor, + increment)."""
    if indicator.target_value is not None:
        return indicator.target_value
    if indicator.target_factor is not None and baseline is not None:
        return baseline * indicator.target_factor
    if indicator.target_increment is not None and baseline is not None:
        return baseline + indicator.target_increment
    return None


def expected_at(day: datetime.date, start: datetime.date | None, deadline: datetime.date | None) -> Decimal | None:
    if start is None or deadline is None or deadline <= start:
        return None
    elapsed = Decimal((day - start).days) / Decimal((deadline - start).days)
    return min(max(elapsed, Decimal(0)), Decimal(1))


def meets(indicator: Indicator, value: Decimal, target: Decimal) -> bool:
    return value <= target if indicator.direction == Direction.DECREASE else value >= target


def compute(
    indicator: Indicator,
    current: Observation | None,
    today: datetime.date,
    start: datetime.date | None = None,
    abandoned: bool = False,
    goal: TerritorialTarget | None = None,
) -> Progress:
    """The progress of ``indicator`` given its latest value ``current``, as of that value's date.

    ``start`` is when progress is counted from when the baseline has no date of its own (the
    date of the first decision that carried the measure). ``today`` only decides staleness.
    ``goal``, a territory's own initial value and target, replaces the indicator's (national)
    ones: a territory's values are measured against the goal stated for it, never against the
    national target.
    """
    if abandoned:
        return Progress(ProgressStatus.ABANDONED, current)
    if goal is not None:
        baseline, target = goal.baseline_value, goal.target_value
        has_target = target is not None
        since_date, since_precision = goal.baseline_date, goal.baseline_precision
        deadline_date, deadline_precision = goal.target_deadline, goal.target_precision
    else:
        baseline = baseline_of(indicator)
        target = target_of(indicator, baseline)
        has_target = indicator.has_target
        since_date, since_precision = indicator.baseline_date, indicator.baseline_precision
        deadline_date, deadline_precision = indicator.target_deadline, indicator.target_precision
    if current is None:
        status = ProgressStatus.NO_DATA if has_target else ProgressStatus.NO_TARGET
        return Progress(status, None, baseline, target)
    stale = is_stale(indicator, current, today)
    as_of = period_end(current.date, current.date_precision)
    if target is None:
        return Progress(ProgressStatus.NO_TARGET, current, baseline, None, stale=stale, as_of=as_of)
    deadline = period_end(deadline_date, deadline_precision) if deadline_date else None
    ratio = expected = None
    if baseline is not None and target != baseline:
        ratio = (current.value - baseline) / (target - baseline)
        since = since_date and period_end(since_date, since_precision)
        expected = expected_at(as_of, since or start, deadline)
    if meets(indicator, current.value, target):
        status = ProgressStatus.REACHED
    elif deadline is not None and as_of >= deadline and current.date >= deadline_date:
        # The value's whole period lies in or after the deadline's: "2 200 prévus en décembre 2016"
        # is not missed by a value of "2016", which may be from any month of it.
        status = ProgressStatus.NOT_REACHED
    elif expected is None:
        status = ProgressStatus.PENDING
    elif ratio >= expected - TOLERANCE:
        status = ProgressStatus.ON_TRACK
    else:
        status = ProgressStatus.LATE
    return Progress(status, current, baseline, target, ratio, expected, stale, as_of)


@dataclass(frozen=True)
class Rollup:
    status: str
    percent: int | None

    @property
    def has_status(self) -> bool:
        return self.status != ProgressStatus.NO_TARGET

    @property
    def status_label(self) -> str:
        return ProgressStatus(self.status).label

    @property
    def badge(self) -> str:
        return STATUS_BADGE[ProgressStatus(self.status)]


_SEVERITY = [
    ProgressStatus.NOT_REACHED,
    ProgressStatus.LATE,
    ProgressStatus.NO_DATA,
    ProgressStatus.PENDING,
    ProgressStatus.ON_TRACK,
    ProgressStatus.REACHED,
]


def rollup(progresses: list[tuple[Progress, Decimal]], abandoned: bool = False) -> Rollup:
    """A measure's progress from its indicators' (progress, weight) pairs, as decidim rolls results up.

    The percentage is the weighted mean of the indicators that have one; the status is the
    least favourable among indicators with a target. A measure declared "réalisée" says so
    in its own status (``MeasureStatus``): it does not make a target reached.
    """
    if abandoned:
        return Rollup(ProgressStatus.ABANDONED, None)
    measured = [(p, w) for p, w in progresses if p.clamped is not None]
    total = sum((w for _, w in measured), Decimal(0))
    percent = int((sum(p.clamped * w for p, w in measured) / total * 100).to_integral_value()) if total else None
    statuses = {p.status for p, _ in progresses if p.status != ProgressStatus.NO_TARGET}
    for status in _SEVERITY:
        if status in statuses:
            return Rollup(status, percent)
    return Rollup(ProgressStatus.NO_TARGET, percent)
