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

Units of one scale are converted by the table of `servicekb.units` (second,
minute, hour, day; per month, quarter, half-year, year). Working time is not
calendar time: N working days last at least N calendar days (and N working
hours at least N hours), but how much longer depends on weekends and
holidays. So a calendar target and a working-clock target are compared only
when that lower bound decides it (`<= 72 hour` is at least as strict as
`<= 3 working_day`); otherwise the answer is `None` and the caller decides by
precedence, saying so.
"""

from __future__ import annotations

import math

from servicekb.bound import WORKING_TIME, Amount, Bound
from servicekb.types import Comparator, Direction
from servicekb.units import CALENDAR_SECONDS, WORKING_DAYS, convert

__all__ = ["compare_strictness", "convert", "incomparable_reason", "is_working_time"]

_DURATION_SCALES = {CALENDAR_SECONDS, WORKING_DAYS, WORKING_TIME}


def is_working_time(spec: Bound) -> bool:
    """Whether the bound counts working time (working days, or the working-day clock)."""
    return spec.is_working_time


def _interval(amount: Amount) -> tuple[float, float]:
    """The calendar seconds an amount may last: exact for calendar time, a floor for working time."""
    if amount.scale == CALENDAR_SECONDS:
        return (amount.value, amount.value)
    floor = amount.value * 86400.0 if amount.scale == WORKING_DAYS else amount.value
    return (floor, math.inf)


def _compare_amounts(a: Amount | float, b: Amount | float) -> int | None:
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


def _limit(spec: Bound, direction: Direction) -> Amount | float:
    lower_better = direction is Direction.lower_is_better
    comp = spec.comparator
    if lower_better:
        if comp in (Comparator.le, Comparator.lt, Comparator.eq):
            return spec.amount(spec.value)
        if comp is Comparator.between:
            return spec.amount(spec.upper if spec.upper is not None else spec.value)
        return math.inf
    if comp in (Comparator.ge, Comparator.gt, Comparator.eq, Comparator.between):
        return spec.amount(spec.value)
    return -math.inf


def _tie_key(spec: Bound, direction: Direction) -> tuple[int, int]:
    open_side = Comparator.lt if direction is Direction.lower_is_better else Comparator.gt
    two_sided = spec.comparator in (Comparator.eq, Comparator.between)
    return (0 if spec.comparator is open_side else 1, 0 if two_sided else 1)


def compare_strictness(a: Bound, b: Bound, direction: Direction) -> int | None:
    """-1 when `a` is stricter than `b`, 0 when equally strict, 1 when looser, None when undecidable."""
    order = _compare_amounts(_limit(a, direction), _limit(b, direction))
    if order is None:
        return None
    if order != 0:
        return order if direction is Direction.lower_is_better else -order
    ka, kb = _tie_key(a, direction), _tie_key(b, direction)
    return (ka > kb) - (ka < kb)


def incomparable_reason(a: Bound, b: Bound) -> str:
    """Why `compare_strictness` could not rank two targets, in one clause of English."""
    if is_working_time(a) != is_working_time(b):
        return "working days and calendar hours are not directly comparable (weekends and holidays are not counted)"
    if convert(1.0, a.unit, b.unit) is None and a.unit is not b.unit:
        return f"{a.unit.value} and {b.unit.value} are different scales"
    return "the ranges overlap and neither is stricter"
