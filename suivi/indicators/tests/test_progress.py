import datetime
from decimal import Decimal

import pytest

from suivi.indicators.models import Direction, Indicator, Observation, TerritorialTarget
from suivi.indicators.progress import Progress, ProgressStatus, compute, is_stale, period_end, rollup
from suivi.sources.precision import DatePrecision

D = datetime.date


def indicator(**fields) -> Indicator:
    defaults = {"name": "Orchestres", "unit": "orchestres", "update_cadence_months": 12}
    return Indicator(**(defaults | fields))


def value(amount, date, precision=DatePrecision.DAY) -> Observation:
    return Observation(value=Decimal(amount), date=date, date_precision=precision)


ORCHESTRAS = {"target_value": Decimal(30), "target_deadline": D(2018, 1, 1), "target_precision": DatePrecision.YEAR}


@pytest.mark.parametrize(
    ("date", "precision", "end"),
    [
        (D(2018, 1, 1), DatePrecision.YEAR, D(2018, 12, 31)),
        (D(2017, 1, 1), DatePrecision.QUARTER, D(2017, 3, 31)),
        (D(2016, 12, 1), DatePrecision.MONTH, D(2016, 12, 31)),
        (D(2016, 2, 1), DatePrecision.MONTH, D(2016, 2, 29)),
        (D(2016, 10, 10), DatePrecision.DAY, D(2016, 10, 10)),
    ],
)
def test_period_end_is_the_last_day_the_date_names(date, precision, end):
    assert period_end(date, precision) == end


def test_a_count_of_new_things_starts_from_zero():
    orchestras = indicator(cumulative=True, **ORCHESTRAS)
    progress = compute(orchestras, value(19, D(2016, 12, 1), DatePrecision.MONTH), today=D(2017, 1, 15))
    assert progress.ratio == Decimal(19) / Decimal(30)
    assert progress.percent == 63


def test_without_a_stated_baseline_there_is_no_percentage_but_a_status():
    progress = compute(indicator(**ORCHESTRAS), value(19, D(2016, 12, 1), DatePrecision.MONTH), D(2017, 1, 15))
    assert progress.baseline is None and progress.ratio is None and progress.percent is None
    assert progress.status == ProgressStatus.PENDING


def test_an_increment_adds_to_the_stated_baseline_and_is_not_a_total_from_zero():
    epide = indicator(
        baseline_value=Decimal(18),
        baseline_date=D(2016, 1, 1),
        baseline_precision=DatePrecision.YEAR,
        target_increment=Decimal(2),
        target_deadline=D(2017, 1, 1),
        target_precision=DatePrecision.YEAR,
    )
    progress = compute(epide, value(18, D(2016, 1, 1), DatePrecision.YEAR), D(2026, 11, 28))
    assert (progress.baseline, progress.target, progress.percent) == (18, 20, 0)
    # Counted from the end of 2016, the baseline's period: nothing was expected yet.
    assert progress.expected == 0 and progress.status == ProgressStatus.ON_TRACK
    assert compute(epide, value(19, D(2017, 6, 1), DatePrecision.MONTH), D(2026, 1, 1)).percent == 50


def test_it_is_on_track_when_ahead_of_the_straight_line_to_the_deadline():
    progress = compute(
        indicator(cumulative=True, **ORCHESTRAS),
        value(19, D(2016, 12, 1), DatePrecision.MONTH),
        D(2017, 1, 15),
        start=D(2015, 10, 26),
    )
    assert (
        progress.expected
        == Decimal((D(2016, 12, 31) - D(2015, 10, 26)).days) / (D(2018, 12, 31) - D(2015, 10, 26)).days
    )
    assert progress.status == ProgressStatus.ON_TRACK


def test_it_is_late_when_behind_the_straight_line():
    progress = compute(
        indicator(cumulative=True, **ORCHESTRAS),
        value(5, D(2017, 12, 1), DatePrecision.MONTH),
        D(2018, 1, 15),
        start=D(2015, 10, 26),
    )
    assert progress.status == ProgressStatus.LATE


def test_the_status_is_that_of_the_latest_values_date_not_of_today():
    late_2016 = value(5, D(2016, 12, 1), DatePrecision.MONTH)
    progress = compute(indicator(cumulative=True, **ORCHESTRAS), late_2016, D(2026, 11, 28), start=D(2015, 3, 6))
    assert progress.as_of == D(2016, 12, 31)
    assert progress.status == ProgressStatus.LATE
    assert progress.stale  # a separate flag: in 2026, a 2016 value is old


def test_after_the_deadline_the_target_is_reached_or_not():
    orchestras = indicator(cumulative=True, **ORCHESTRAS)
    assert compute(orchestras, value(31, D(2019, 1, 1)), D(2019, 2, 1)).status == ProgressStatus.REACHED
    assert compute(orchestras, value(25, D(2019, 1, 1)), D(2019, 2, 1)).status == ProgressStatus.NOT_REACHED
    assert compute(orchestras, value(25, D(2018, 12, 1), DatePrecision.MONTH), D(2019, 2, 1)).status == (
        ProgressStatus.NOT_REACHED
    )


def test_a_value_of_a_whole_year_does_not_miss_a_deadline_within_that_year():
    civic = indicator(target_value=Decimal(2200), target_deadline=D(2016, 12, 1), target_precision=DatePrecision.MONTH)
    assert compute(civic, value(1800, D(2016, 1, 1), DatePrecision.YEAR), D(2017, 1, 1)).status == (
        ProgressStatus.PENDING
    )
    assert compute(civic, value(1800, D(2016, 12, 1), DatePrecision.MONTH), D(2017, 1, 1)).status == (
        ProgressStatus.NOT_REACHED
    )


def test_it_is_reached_at_or_beyond_the_target_and_keeps_the_raw_ratio():
    progress = compute(indicator(cumulative=True, **ORCHESTRAS), value(36, D(2018, 6, 1)), D(2018, 7, 1))
    assert progress.status == ProgressStatus.REACHED
    assert progress.ratio == Decimal("1.2") and progress.percent == 100


def test_lower_is_better_uses_the_same_formula():
    dropouts = indicator(
        direction=Direction.DECREASE,
        baseline_value=Decimal(140000),
        baseline_date=D(2014, 1, 1),
        target_factor=Decimal("0.5"),
        target_deadline=D(2017, 1, 1),
        target_precision=DatePrecision.YEAR,
    )
    progress = compute(dropouts, value(105000, D(2016, 1, 1), DatePrecision.YEAR), D(2016, 6, 1))
    assert progress.target == 70000
    assert progress.ratio == Decimal("0.5")
    assert compute(dropouts, value(69000, D(2017, 1, 1), DatePrecision.YEAR), D(2017, 6, 1)).status == (
        ProgressStatus.REACHED
    )


def test_a_value_older_than_its_update_cadence_is_stale():
    old = value(19, D(2016, 12, 1), DatePrecision.MONTH)
    assert is_stale(indicator(), old, D(2018, 1, 1))
    assert not is_stale(indicator(), old, D(2017, 12, 31))


def test_without_a_target_there_is_no_status_and_without_a_value_it_is_not_reported():
    untargeted = compute(indicator(), value(9, D(2017, 1, 1)), D(2017, 2, 1))
    assert untargeted.status == ProgressStatus.NO_TARGET and not untargeted.has_status
    assert untargeted.current.value == 9
    assert compute(indicator(**ORCHESTRAS), None, D(2017, 2, 1)).status == ProgressStatus.NO_DATA


def test_a_relative_target_without_a_baseline_cannot_be_measured():
    halve = indicator(direction=Direction.DECREASE, target_factor=Decimal("0.5"))
    progress = compute(halve, value(100000, D(2016, 1, 1), DatePrecision.YEAR), D(2016, 6, 1))
    assert progress.status == ProgressStatus.NO_TARGET and progress.ratio is None


def test_an_abandoned_measure_is_abandoned_whatever_its_values():
    assert compute(indicator(**ORCHESTRAS), value(30, D(2017, 1, 1)), D(2017, 2, 1), abandoned=True).status == (
        ProgressStatus.ABANDONED
    )


def test_a_measure_rolls_up_its_indicators_with_their_weights():
    reached = Progress(ProgressStatus.REACHED, ratio=Decimal(1))
    late = Progress(ProgressStatus.LATE, ratio=Decimal("0.2"))
    untargeted = Progress(ProgressStatus.NO_TARGET)
    result = rollup([(reached, Decimal(3)), (late, Decimal(1)), (untargeted, Decimal(1))])
    assert result.percent == 80
    assert result.status == ProgressStatus.LATE
    assert rollup([(untargeted, Decimal(1))]).status == ProgressStatus.NO_TARGET
    assert not rollup([]).has_status


def test_a_territorys_own_goal_replaces_the_national_target():
    national = indicator(baseline_value=Decimal(0), baseline_date=D(2019, 1, 1), **ORCHESTRAS)
    goal = TerritorialTarget(
        baseline_value=Decimal(40),
        baseline_date=D(2019, 10, 1),
        baseline_precision=DatePrecision.MONTH,
        target_value=Decimal(100),
        target_deadline=D(2021, 10, 1),
        target_precision=DatePrecision.MONTH,
    )
    halfway = value(70, D(2020, 10, 1), DatePrecision.MONTH)  # half the way, half the time
    progress = compute(national, halfway, D(2020, 11, 1), goal=goal)
    assert (progress.baseline, progress.target, progress.ratio) == (40, 100, Decimal("0.5"))
    assert progress.status == ProgressStatus.ON_TRACK
    # Against the national target (30), the same value would read as reached: not what the territory set.
    assert compute(national, halfway, D(2020, 11, 1)).status == ProgressStatus.REACHED
    assert compute(national, value(55, D(2020, 10, 1), DatePrecision.MONTH), D(2020, 11, 1), goal=goal).status == (
        ProgressStatus.LATE
    )
    assert compute(national, value(90, D(2021, 10, 1), DatePrecision.MONTH), D(2022, 1, 1), goal=goal).status == (
        ProgressStatus.NOT_REACHED
    )
    baseline_only = TerritorialTarget(baseline_value=Decimal(40), baseline_date=D(2019, 10, 1))
    assert compute(national, halfway, D(2020, 11, 1), goal=baseline_only).status == ProgressStatus.NO_TARGET
    assert compute(national, None, D(2020, 11, 1), goal=goal).status == ProgressStatus.NO_DATA
