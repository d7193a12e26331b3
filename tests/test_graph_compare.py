"""Units brought to one scale and which of two targets is stricter."""

from __future__ import annotations

import pytest

from servicekb.graph.compare import bound_of, compare_bounds, format_target
from servicekb.models import Target
from servicekb.types import Direction

LOWER, HIGHER = Direction.lower_is_better, Direction.higher_is_better


def target(comparator: str, value: float, unit: str = "hour", upper: float | None = None, clock: str | None = None) -> Target:
    return Target(metric="m", comparator=comparator, value=value, upper=upper, unit=unit, clock=clock, quote="q")


@pytest.mark.parametrize(
    ("a", "b", "direction", "expected"),
    [
        # a shorter deadline is stricter when lower is better
        (target("<=", 48), target("<=", 72), LOWER, -1),
        # units are converted: 2 days = 48 h, 30 s < 1 min
        (target("<=", 2, "day"), target("<=", 48), LOWER, 0),
        (target("<=", 30, "second"), target("<=", 1, "minute"), LOWER, -1),
        (target("<=", 90, "minute"), target("<=", 1), LOWER, 1),
        # a higher floor is stricter when higher is better
        (target(">=", 85, "percent"), target(">=", 90, "percent"), HIGHER, 1),
        # same value, open end is stricter
        (target("<", 24), target("<=", 24), LOWER, -1),
        # a range inside another is stricter
        (target("between", 2, upper=3), target("between", 2, upper=4), LOWER, -1),
        # frequencies per year: monthly is more often than quarterly
        (target(">=", 1, "per_month"), target(">=", 1, "per_quarter"), HIGHER, -1),
        (target(">=", 4, "per_year"), target(">=", 1, "per_quarter"), HIGHER, 0),
        # N working days span at least N calendar days: 48 h is stricter than 3 working days
        (target("<=", 48), target("<=", 3, "working_day", clock="working_days"), LOWER, -1),
        (target("<=", 3, "working_day", clock="working_days"), target("<=", 72), LOWER, 1),
        # but 96 h against 3 working days depends on the calendar
        (target("<=", 96), target("<=", 3, "working_day", clock="working_days"), LOWER, None),
        # working hours are not calendar hours
        (target("<=", 8, clock="working_days"), target("<=", 8), LOWER, None),
        # different dimensions never compare
        (target("<=", 5, "percent"), target("<=", 5), LOWER, None),
    ],
)
def test_compare_bounds(a, b, direction, expected):
    assert compare_bounds(bound_of(a), bound_of(b), direction) == expected


@pytest.mark.parametrize(
    ("t", "text"),
    [
        (target("<=", 48), "<= 48 h"),
        (target("between", 2, upper=4), "between 2 and 4 h"),
        (target("<=", 3, "working_day", clock="working_days"), "<= 3 working days"),
        (target(">=", 85, "percent"), ">= 85 %"),
        (target("<=", 30, "second"), "<= 30 s"),
    ],
)
def test_format_target(t, text):
    assert format_target(t) == text
