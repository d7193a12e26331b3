"""Which of two targets is stricter: by the metric's direction, across units, and honest about working days."""

from __future__ import annotations

import pytest

from servicekb.models import Target
from servicekb.strictness import compare_strictness, convert
from servicekb.tailoring import TargetSpec
from servicekb.types import Clock, Comparator, Direction, Unit

LOWER, HIGHER = Direction.lower_is_better, Direction.higher_is_better


def spec(
    comparator: str, value: float, unit: str = "hour", upper: float | None = None, clock: str | None = None
) -> TargetSpec:
    return TargetSpec(Comparator(comparator), value, upper, Unit(unit), Clock(clock) if clock else None)


STRICTNESS = [
    # a, b, direction, expected (-1: a stricter, 0: as strict, 1: a looser, None: undecidable)
    (spec("<=", 24), spec("<=", 48), LOWER, -1),  # shorter deadline is stricter
    (spec("<=", 72), spec("<=", 48), LOWER, 1),
    (spec(">=", 90, "percent"), spec(">=", 85, "percent"), HIGHER, -1),  # higher floor is stricter
    (spec(">=", 80, "percent"), spec(">=", 85, "percent"), HIGHER, 1),
    (spec("<=", 1, "day"), spec("<=", 24), LOWER, 0),  # 1 day == 24 hours
    (spec("<=", 1440, "minute"), spec("<=", 1, "day"), LOWER, 0),
    (spec("<=", 30, "second"), spec("<=", 1, "minute"), LOWER, -1),
    (spec(">=", 1, "hour"), spec(">=", 30, "minute"), HIGHER, -1),  # a longer guidance session is stricter
    (spec(">=", 4, "per_year"), spec(">=", 1, "per_quarter"), HIGHER, 0),  # frequencies convert too
    (spec(">=", 2, "per_half_year"), spec(">=", 1, "per_month"), HIGHER, 1),
    (spec("<", 48), spec("<=", 48), LOWER, -1),  # open bound beats closed at the same limit
    (spec(">", 90, "percent"), spec(">=", 90, "percent"), HIGHER, -1),
    (spec("between", 2, upper=4), spec("<=", 4), LOWER, -1),  # two-sided beats one-sided at the same limit
    (spec("between", 2, upper=4), spec("<=", 3), LOWER, 1),  # but its limit is its upper end
    (spec("between", 2, upper=4), spec(">=", 3), HIGHER, 1),  # on a higher-is-better metric, its lower end
    (spec(">=", 1), spec("<=", 48), LOWER, 1),  # bounding the wrong side limits nothing: loosest
    (
        spec("<=", 72),
        spec("<=", 3, "working_day", clock="working_days"),
        LOWER,
        -1,
    ),  # 3 working days last at least 72 h
    (spec("<=", 48), spec("<=", 3, "working_day", clock="working_days"), LOWER, -1),
    (
        spec("<=", 96),
        spec("<=", 3, "working_day", clock="working_days"),
        LOWER,
        None,
    ),  # depends on weekends and holidays
    (spec("<=", 3, "working_day", clock="working_days"), spec("<=", 96), LOWER, None),
    (
        spec("<=", 2, "working_day", clock="working_days"),
        spec("<=", 3, "working_day", clock="working_days"),
        LOWER,
        -1,
    ),  # same clock: exact
    (spec("<=", 8, clock="working_days"), spec("<=", 8), LOWER, 1),  # 8 working hours last at least 8 calendar hours
    (
        spec("<=", 8, clock="working_days"),
        spec("<=", 1, "working_day", clock="working_days"),
        LOWER,
        None,
    ),  # working hours vs working days
]


@pytest.mark.parametrize(("a", "b", "direction", "expected"), STRICTNESS)
def test_compare_strictness(a, b, direction, expected):
    assert compare_strictness(a, b, direction) == expected


@pytest.mark.parametrize(("a", "b", "direction", "expected"), [case for case in STRICTNESS if case[3] is not None])
def test_comparison_is_antisymmetric(a, b, direction, expected):
    # Swapping the two targets flips the answer, so the merge never depends on input order.
    assert compare_strictness(b, a, direction) == -expected


CONVERSIONS = [
    # value, unit, to, expected
    (2, Unit.day, Unit.hour, 48),
    (90, Unit.minute, Unit.hour, 1.5),
    (30, Unit.second, Unit.minute, 0.5),
    (1, Unit.per_quarter, Unit.per_year, 4),
    (6, Unit.per_year, Unit.per_half_year, 3),
    (3, Unit.working_day, Unit.hour, None),  # working days never convert to calendar hours
    (5, Unit.percent, Unit.percent, 5),
]


@pytest.mark.parametrize(("value", "unit", "to", "expected"), CONVERSIONS)
def test_convert(value, unit, to, expected):
    assert convert(value, unit, to) == expected


def test_describe_reads_like_the_source():
    assert spec("<=", 48).describe() == "<= 48 hour"
    assert spec("between", 2, upper=4).describe() == "between 2-4 hour"
    assert spec("<=", 8, clock="working_days").describe() == "<= 8 hour (working time)"
    assert spec("<=", 3, "working_day", clock="working_days").describe() == "<= 3 working_day"


def target(
    comparator: str, value: float, unit: str = "hour", upper: float | None = None, clock: str | None = None
) -> Target:
    """A clause target: the shared rule takes targets, overrides and resolved specs alike."""
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
        # 8 working hours last at least 8 calendar hours: the calendar deadline is never the looser
        (target("<=", 8, clock="working_days"), target("<=", 8), LOWER, 1),
        # different dimensions never compare
        (target("<=", 5, "percent"), target("<=", 5), LOWER, None),
    ],
)
def test_one_rule_for_graph_resolution_and_diff(a, b, direction, expected):
    # The cases the graph's conflict analysis relies on, decided by the shared rule.
    assert compare_strictness(a.bound, b.bound, direction) == expected
