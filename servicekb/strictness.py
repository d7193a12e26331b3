"""Which of two targets on a metric is stricter, across units and clocks.

One rule for the whole project: the graph's conflict analysis, store
resolution and the review diff all ask this module, so that `graph check`,
`resolve` and `diff` never disagree about which number is stricter.

A target's *limit* is the worst value it still accepts, judged by the
metric's direction: for a lower-is-better metric the upper end (`<= 48 h`
accepts up to 48 h, `between 2-4` up to 4), for a higher-is-better metric
the lower end. A target bounding only the other side (`>= 1 h` on a
lower-is-better metric) has no limit and is the loosest. At equal limits an
open bound (`<`) is stricter than a closed one (`<=`), and a two-sided target
(`==`, `between`) stricter than a one-sided one.

Units of one dimension are converted (second, minute, hour, day; per month,
quarter, half-year, year). Working time is not calendar time: N working days
last at least N calendar days (and N working hours at least N hours), but how
much longer depends on weekends and holidays. So a calendar target and a
working-clock target are compared only when that lower bound decides it
(`<= 72 hour` is at least as strict as `<= 3 working_day`); otherwise the
answer is `None` and the caller decides by precedence, saying so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

from servicekb.types import Clock, Comparator, Direction, Unit

__all__ = ["TargetLike", "compare_strictness", "convert", "incomparable_reason", "is_working_time"]


class TargetLike(Protocol):
    """The number part of a target: a clause `Target`, a store `Override` or a resolved spec."""

    comparator: Comparator
    value: float
    upper: float | None
    unit: Unit
    clock: Clock | None


_SECONDS = {Unit.second: 1.0, Unit.minute: 60.0, Unit.hour: 3600.0, Unit.day: 86400.0}
_PER_YEAR = {Unit.per_month: 12.0, Unit.per_quarter: 4.0, Unit.per_half_year: 2.0, Unit.per_year: 1.0}
_CALENDAR, _WORKING_DAYS, _WORKING_TIME = "calendar", "working-days", "working-time"
_DURATION_SCALES = {_CALENDAR, _WORKING_DAYS, _WORKING_TIME}


@dataclass(frozen=True)
class _Amount:
    """A value on one scale: calendar seconds, working days, working seconds, per year, or a plain unit."""

    scale: str
    value: float


def is_working_time(spec: TargetLike) -> bool:
    """Whether the spec counts working time (working days, or the working-day clock)."""
    return spec.unit is Unit.working_day or spec.clock is Clock.working_days


def convert(value: float, unit: Unit, to: Unit) -> float | None:
    """`value` in `unit` expressed in `to`; None when the units do not convert (working vs calendar days)."""
    if unit is to:
        return value
    if unit in _SECONDS and to in _SECONDS:
        return value * _SECONDS[unit] / _SECONDS[to]
    if unit in _PER_YEAR and to in _PER_YEAR:
        return value * _PER_YEAR[unit] / _PER_YEAR[to]
    return None


def _amount(value: float, spec: TargetLike) -> _Amount:
    if spec.unit is Unit.working_day or (spec.unit is Unit.day and spec.clock is Clock.working_days):
        return _Amount(_WORKING_DAYS, value)
    if spec.unit in _SECONDS:
        return _Amount(_WORKING_TIME if spec.clock is Clock.working_days else _CALENDAR, value * _SECONDS[spec.unit])
    if spec.unit in _PER_YEAR:
        return _Amount("per-year", value * _PER_YEAR[spec.unit])
    return _Amount(spec.unit.value, value)


def _interval(amount: _Amount) -> tuple[float, float]:
    """The calendar seconds an amount may last: exact for calendar time, a floor for working time."""
    if amount.scale == _CALENDAR:
        return (amount.value, amount.value)
    floor = amount.value * 86400.0 if amount.scale == _WORKING_DAYS else amount.value
    return (floor, math.inf)


def _compare_amounts(a: _Amount | float, b: _Amount | float) -> int | None:
    """-1, 0, 1 as a is below, equal to, above b; None when it cannot be told."""
    if isinstance(a, float) or isinstance(b, float):
        va = a if isinstance(a, float) else a.value
        vb = b if isinstance(b, float) else b.value
        if isinstance(a, float) and isinstance(b, float):
            return 0 if a == b else (-1 if a < b else 1)
        # One side is unbounded (±inf): it lies beyond any finite amount.
        return -1 if va < vb else 1
    if a.scale == b.scale:
        if math.isclose(a.value, b.value, rel_tol=1e-9, abs_tol=1e-12):
            return 0
        return -1 if a.value < b.value else 1
    if a.scale in _DURATION_SCALES and b.scale in _DURATION_SCALES:
        (alo, ahi), (blo, bhi) = _interval(a), _interval(b)
        # Touching ranges (72 calendar hours vs at least 72 h for 3 working days)
        # still decide it: the calendar target is never the looser one.
        if ahi <= blo:
            return -1
        if alo >= bhi:
            return 1
    return None


def _limit(spec: TargetLike, direction: Direction) -> _Amount | float:
    lower_better = direction is Direction.lower_is_better
    comp = spec.comparator
    if lower_better:
        if comp in (Comparator.le, Comparator.lt, Comparator.eq):
            return _amount(spec.value, spec)
        if comp is Comparator.between:
            return _amount(spec.upper if spec.upper is not None else spec.value, spec)
        return math.inf
    if comp in (Comparator.ge, Comparator.gt, Comparator.eq, Comparator.between):
        return _amount(spec.value, spec)
    return -math.inf


def _tie_key(spec: TargetLike, direction: Direction) -> tuple[int, int]:
    open_side = Comparator.lt if direction is Direction.lower_is_better else Comparator.gt
    two_sided = spec.comparator in (Comparator.eq, Comparator.between)
    return (0 if spec.comparator is open_side else 1, 0 if two_sided else 1)


def compare_strictness(a: TargetLike, b: TargetLike, direction: Direction) -> int | None:
    """-1 when `a` is stricter than `b`, 0 when equally strict, 1 when looser, None when undecidable."""
    order = _compare_amounts(_limit(a, direction), _limit(b, direction))
    if order is None:
        return None
    if order != 0:
        return order if direction is Direction.lower_is_better else -order
    ka, kb = _tie_key(a, direction), _tie_key(b, direction)
    return (ka > kb) - (ka < kb)


def incomparable_reason(a: TargetLike, b: TargetLike) -> str:
    """Why `compare_strictness` could not rank two targets, in one clause of English."""
    if is_working_time(a) != is_working_time(b):
        return "working days and calendar hours are not directly comparable (weekends and holidays are not counted)"
    if convert(1.0, a.unit, b.unit) is None and a.unit is not b.unit:
        return f"{a.unit.value} and {b.unit.value} are different scales"
    return "the ranges overlap and neither is stricter"
