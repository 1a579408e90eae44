"""Trajectory arithmetic: the weekly pace (least squares over the snapshot history), the pace
needed to meet a target by its deadline, the projection at the current pace, and the verdict —
reached, on track, at risk, off track or unknown — for rising and falling targets."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from portal.dashboard.models import Direction, Indicator
from portal.dashboard.selectors import PACE_WINDOW, figures, trajectory, weekly_pace
from tests.dashboard.test_indicators import approved_value, make_indicator

TODAY = date(2026, 6, 1)
# 100 weeks to the deadline.
DEADLINE = TODAY + timedelta(weeks=100)


def weeks_ago(n: int) -> date:
    return TODAY - timedelta(weeks=n)


def rising(*values) -> list[tuple[date, Decimal]]:
    """One value a week, the last one a week ago."""
    return [(weeks_ago(len(values) - i), Decimal(str(v))) for i, v in enumerate(values)]


def target(value, *, direction=Direction.INCREASE, deadline=DEADLINE) -> Indicator:
    return Indicator(
        code="x", target_value=Decimal(value), target_deadline=deadline, direction=direction
    )


# --- weekly pace -------------------------------------------------------------------------------


def test_pace_of_a_straight_line_is_its_slope_per_week():
    assert weekly_pace(rising(100, 110, 120, 130)) == 10


def test_pace_is_per_week_whatever_the_spacing_of_the_snapshots():
    history = [(TODAY, Decimal(0)), (TODAY + timedelta(days=14), Decimal(20))]
    assert weekly_pace(history) == 10
    history = [(TODAY, Decimal(0)), (TODAY + timedelta(days=1), Decimal(1))]
    assert weekly_pace(history).quantize(Decimal("0.000001")) == 7


def test_pace_is_the_least_squares_slope():
    # x = 0, 1, 2 weeks; y = 0, 1, 5: mean x 1, mean y 2, Σ(dx·dy) = 2 + 0 + 3 = 5, Σdx² = 2.
    assert weekly_pace(rising(0, 1, 5)) == Decimal("2.5")
    # x = 0, 1, 2, 3; y = 3, 1, 4, 1: Σ(dx·dy) = -1.5·0.75 - 0.5·-1.25 + 0.5·1.75 + 1.5·-1.25
    # = -1.5, Σdx² = 5.
    assert weekly_pace(rising(3, 1, 4, 1)) == Decimal("-0.3")


def test_pace_ignores_missing_values_and_needs_two_dates():
    assert weekly_pace([]) is None
    assert weekly_pace(rising(7)) is None
    assert weekly_pace([(TODAY, Decimal(1)), (TODAY, Decimal(5))]) is None
    assert weekly_pace([(weeks_ago(2), None), (weeks_ago(1), Decimal(5))]) is None
    history = [(weeks_ago(3), Decimal(10)), (weeks_ago(2), None), (weeks_ago(1), Decimal(30))]
    assert weekly_pace(history) == 10


# --- trajectory --------------------------------------------------------------------------------


def test_required_pace_projection_and_weeks_left():
    course = trajectory(target(5000), Decimal(1000), rising(940, 960, 980), today=TODAY)
    assert course.weeks_left == Decimal("100.0")
    assert course.required_pace == 40  # (5000 - 1000) / 100 weeks
    assert course.current_pace == 20
    assert course.projected == 3000  # 1000 + 20 × 100
    assert (course.target, course.deadline, course.current) == (5000, DEADLINE, 1000)


@pytest.mark.parametrize(
    ("current", "pace", "status"),
    [
        (5000, 0, "reached"),
        (5200, -5, "reached"),
        (1000, 40, "on_track"),  # projected 5000: exactly the target
        (1000, 50, "on_track"),
        (1000, 30, "at_risk"),  # three quarters of the way
        (1000, 35, "at_risk"),
        (1000, 29, "off_track"),
        (1000, 0, "off_track"),
        (1000, -3, "off_track"),
    ],
)
def test_status_compares_the_projection_with_the_gap(current, pace, status):
    history = rising(*(current - pace * n for n in (3, 2, 1)))
    course = trajectory(target(5000), Decimal(current), history, today=TODAY)
    assert course.current_pace == pace
    assert course.status == status
    assert course.status_label


def test_unknown_without_history_or_without_a_current_value():
    no_history = trajectory(target(5000), Decimal(1000), [], today=TODAY)
    assert (no_history.status, no_history.projected, no_history.current_pace) == (
        "unknown",
        None,
        None,
    )
    assert no_history.required_pace == 40
    no_value = trajectory(target(5000), None, rising(900, 950), today=TODAY)
    assert no_value.status == "unknown"
    assert no_value.required_pace is None and no_value.projected is None
    assert no_value.current_pace == 50


def test_pace_reads_only_the_recent_history():
    # A surge long ago does not count: only the last 26 weeks do.
    old = [(TODAY - PACE_WINDOW - timedelta(weeks=2), Decimal(0))]
    course = trajectory(target(5000), Decimal(1000), old + rising(980, 990), today=TODAY)
    assert course.current_pace == 10


def test_a_falling_target():
    # Lower is better: from 20 down to 10 in 20 weeks.
    indicator = target(10, direction=Direction.DECREASE, deadline=TODAY + timedelta(weeks=20))
    on_track = trajectory(indicator, Decimal(20), rising(21.5, 21, 20.5), today=TODAY)
    assert on_track.current_pace == Decimal("-0.5")
    assert on_track.required_pace == Decimal("-0.5")
    assert on_track.projected == 10
    assert on_track.status == "on_track"
    rising_instead = trajectory(indicator, Decimal(20), rising(19, 19.5), today=TODAY)
    assert rising_instead.status == "off_track"
    at_risk = trajectory(indicator, Decimal(20), rising(20.8, 20.4), today=TODAY)
    assert at_risk.projected == 12 and at_risk.status == "at_risk"
    assert trajectory(indicator, Decimal(9), [], today=TODAY).status == "reached"


def test_after_the_deadline_a_target_not_reached_is_off_track():
    course = trajectory(
        target(5000, deadline=TODAY - timedelta(days=1)),
        Decimal(4000),
        rising(3800, 3900),
        today=TODAY,
    )
    assert course.weeks_left == 0
    assert course.required_pace is None
    assert course.projected == 4000
    assert course.status == "off_track"


# --- in the dashboard's figures ----------------------------------------------------------------


@pytest.mark.django_db
def test_an_indicator_without_target_has_no_trajectory():
    make_indicator("deals", source="exchange.deals")
    manual = make_indicator("skills", unit="percent", target=50, deadline=date(2030, 12, 31))
    approved_value(manual, 31, date(2026, 1, 31))
    shown = {figure.indicator.code: figure for figure in figures()}
    assert shown["deals"].trajectory is None
    assert shown["skills"].trajectory.target == 50
    assert shown["skills"].trajectory.status == "unknown"  # no snapshots yet
