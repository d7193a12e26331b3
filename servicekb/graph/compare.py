"""Numeric targets as sets of acceptable values, and their short English form.

Two targets with equal bounds say the same thing (`<= 2 day` and `<= 48
hour`) and are grouped; which of two is stricter is decided by the one rule
of `servicekb.strictness`.

A target is read as the set of acceptable values, an interval on a scale:
calendar durations in hours (second, minute, hour, day), frequencies per
year, the other units as they are. A working day is not a fixed number of
hours (weekends, holidays, the PRC adjusted working days), so working-day
deadlines live on their own scale; against calendar hours only one safe
inference is made: N working days always span at least N calendar days.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from servicekb.models import Target
from servicekb.types import Clock, Comparator, Unit

__all__ = ["Bound", "bound_of", "format_target"]

# unit -> (scale, factor to the scale's unit)
_SCALES: dict[Unit, tuple[str, float]] = {
    Unit.second: ("hour", 1 / 3600),
    Unit.minute: ("hour", 1 / 60),
    Unit.hour: ("hour", 1.0),
    Unit.day: ("hour", 24.0),
    Unit.working_day: ("working_day", 1.0),
    Unit.per_month: ("per_year", 12.0),
    Unit.per_quarter: ("per_year", 4.0),
    Unit.per_half_year: ("per_year", 2.0),
    Unit.per_year: ("per_year", 1.0),
}

_SYMBOLS = {
    Unit.second: "s",
    Unit.minute: "min",
    Unit.hour: "h",
    Unit.day: "days",
    Unit.working_day: "working days",
    Unit.percent: "%",
    Unit.point: "points",
    Unit.count: "",
    Unit.per_month: "per month",
    Unit.per_quarter: "per quarter",
    Unit.per_half_year: "per half-year",
    Unit.per_year: "per year",
    Unit.yuan: "yuan",
    Unit.ratio: "",
}


@dataclass(frozen=True)
class Bound:
    """The acceptable values of a target: an interval on one scale (ends may be open or infinite)."""

    scale: str
    lo: float
    hi: float
    lo_open: bool = False
    hi_open: bool = False

    def contains(self, other: Bound) -> bool:
        """Whether every value acceptable to `other` is acceptable here (same scale only)."""
        lo_ok = self.lo < other.lo or (self.lo == other.lo and (not self.lo_open or other.lo_open))
        hi_ok = self.hi > other.hi or (self.hi == other.hi and (not self.hi_open or other.hi_open))
        return lo_ok and hi_ok


def bound_of(target: Target) -> Bound:
    """The interval of values a target accepts, on its unit's scale."""
    scale, factor = _SCALES.get(target.unit, (target.unit.value, 1.0))
    if target.unit is Unit.hour and target.clock is Clock.working_days:
        scale = "working_hour"
    v = round(target.value * factor, 9)
    inf = math.inf
    match target.comparator:
        case Comparator.le:
            return Bound(scale, -inf, v)
        case Comparator.lt:
            return Bound(scale, -inf, v, hi_open=True)
        case Comparator.ge:
            return Bound(scale, v, inf)
        case Comparator.gt:
            return Bound(scale, v, inf, lo_open=True)
        case Comparator.eq:
            return Bound(scale, v, v)
    upper = target.upper if target.upper is not None else target.value
    return Bound(scale, v, round(upper * factor, 9))


def format_target(target: Target) -> str:
    """`<= 48 h`, `between 2 and 4 h`, `<= 3 working days`, `>= 85 %`."""
    unit = _SYMBOLS.get(target.unit, target.unit.value)
    unit = f" {unit}" if unit else ""
    if target.unit is Unit.hour and target.clock is Clock.working_days:
        unit = " working hours"
    if target.comparator is Comparator.between:
        return f"between {target.value:g} and {target.upper:g}{unit}"
    return f"{target.comparator.value} {target.value:g}{unit}"
