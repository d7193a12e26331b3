"""Targets as intervals of accepted values (equal intervals say the same thing) and their short English form."""

from __future__ import annotations

import pytest

from servicekb.models import Target


def target(
    comparator: str, value: float, unit: str = "hour", upper: float | None = None, clock: str | None = None
) -> Target:
    return Target(metric="m", comparator=comparator, value=value, upper=upper, unit=unit, clock=clock, quote="q")


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (target("<=", 2, "day"), target("<=", 48), True),  # 2 days = 48 h: one requirement, grouped
        (target(">=", 4, "per_year"), target(">=", 1, "per_quarter"), True),  # frequencies per year
        (target("<", 24), target("<=", 24), False),  # an open end is a different requirement
        (target("<=", 3, "working_day", clock="working_days"), target("<=", 72), False),  # clocks differ
    ],
)
def test_equal_bounds_group_the_same_requirement(a, b, same):
    assert (a.bound.interval() == b.bound.interval()) is same


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
    assert t.bound.format("en") == text
