"""`Bound`: the numbers of one target (comparator, value, upper, unit, clock, population), as one frozen value.

A clause's `Target`, a store's `Override` and an effective target all hand
out the same `Bound` (their `.bound`), so that strictness, conflicts, the
review diff, scoring and the book take one type and never rebuild a target
from loose fields. The YAML keeps the seven fields flat (the models declare
them once, in `servicekb.models.standard.TargetFields`); `Bound` is the view.

`Bound.amount` puts a value on its scale (calendar seconds, working days,
working seconds, per year, or the unit itself), the one reading of units and
clocks that `servicekb.strictness` and the graph's grouping share;
`Bound.interval` is the set of values the target accepts on that scale.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from servicekb.types import Clock, Comparator, Unit
from servicekb.units import CALENDAR_SECONDS, WORKING_DAYS, format_target, unit_spec

if TYPE_CHECKING:
    from servicekb.models.standard import Population

__all__ = ["WORKING_TIME", "Amount", "Bound", "Interval"]

WORKING_TIME = "working-seconds"
_DAY = 86400.0


@dataclass(frozen=True)
class Amount:
    """A value on one scale: calendar seconds, working days, working seconds, per year, or a plain unit."""

    scale: str
    value: float


@dataclass(frozen=True)
class Interval:
    """The values a target accepts: an interval on one scale (ends may be open or infinite)."""

    scale: str
    lo: float
    hi: float
    lo_open: bool = False
    hi_open: bool = False

    def contains(self, other: Interval) -> bool:
        """Whether every value acceptable to `other` is acceptable here (same scale only)."""
        lo_ok = self.lo < other.lo or (self.lo == other.lo and (not self.lo_open or other.lo_open))
        hi_ok = self.hi > other.hi or (self.hi == other.hi and (not self.hi_open or other.hi_open))
        return lo_ok and hi_ok


@dataclass(frozen=True, eq=False)
class Bound:
    """The numbers of a target: `comparator value [upper] unit`, its clock, and the population it applies to.

    Equal when every field is equal, the population by its `key()` (channels in
    any order); hashable, so a bound can key a dict of distinct targets.
    """

    comparator: Comparator
    value: float
    upper: float | None
    unit: Unit
    clock: Clock | None = None
    population: Population | None = None

    @classmethod
    def of(cls, target) -> Bound:
        """The bound of anything holding the seven fields (a `Target`, an `Override`)."""
        return cls(target.comparator, target.value, target.upper, target.unit, target.clock, target.population)

    def _identity(self) -> tuple:
        key = self.population.key() if self.population is not None else None
        return (self.comparator, self.value, self.upper, self.unit, self.clock, key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Bound) and self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash(self._identity())

    @property
    def is_working_time(self) -> bool:
        """Whether it counts working time (working days, or the working-day clock)."""
        return unit_spec(self.unit).scale == WORKING_DAYS or self.clock is Clock.working_days

    def amount(self, value: float) -> Amount:
        """`value` (in this bound's unit) on its scale: working time never mixes with calendar time."""
        spec = unit_spec(self.unit)
        working = self.clock is Clock.working_days
        if spec.scale == WORKING_DAYS:
            return Amount(WORKING_DAYS, value * spec.factor)
        if spec.scale == CALENDAR_SECONDS:
            # Days on the working-day clock are working days; shorter units count working seconds.
            if working and spec.factor >= _DAY:
                return Amount(WORKING_DAYS, value * spec.factor / _DAY)
            return Amount(WORKING_TIME if working else CALENDAR_SECONDS, value * spec.factor)
        return Amount(spec.scale, value * spec.factor)

    def interval(self) -> Interval:
        """The values it accepts, on its scale (ends rounded to 9 decimals so that 2 day equals 48 hour)."""
        low = self.amount(self.value)
        v = round(low.value, 9)
        inf = math.inf
        match self.comparator:
            case Comparator.le:
                return Interval(low.scale, -inf, v)
            case Comparator.lt:
                return Interval(low.scale, -inf, v, hi_open=True)
            case Comparator.ge:
                return Interval(low.scale, v, inf)
            case Comparator.gt:
                return Interval(low.scale, v, inf, lo_open=True)
            case Comparator.eq:
                return Interval(low.scale, v, v)
        top = self.upper if self.upper is not None else self.value
        return Interval(low.scale, v, round(self.amount(top).value, 9))

    def to_plain(self, *, clock: bool = True, population: bool = True) -> dict[str, Any]:
        """Plain data for JSON, graph attributes and reports, in this key order.

        `comparator`, `value` (a float), `upper` (a float or None), `unit`, `clock` (None when not
        set), `population` (its `describe()`, None when the bound has none); `clock=False` or
        `population=False` leaves that key out, for an output that never carried it.
        """
        data: dict[str, Any] = {
            "comparator": self.comparator.value,
            "value": float(self.value),
            "upper": float(self.upper) if self.upper is not None else None,
            "unit": self.unit.value,
        }
        if clock:
            data["clock"] = self.clock.value if self.clock is not None else None
        if population:
            data["population"] = self.population.describe() if self.population is not None else None
        return data

    def format(self, style: str = "zh") -> str:
        """For people: `≤ 48 小时` (zh), `不超过 48 小时` (zh-words), `<= 48 h` (en), `<= 48 hour` (id)."""
        return format_target(self.comparator, self.value, self.upper, self.unit, self.clock, style)

    def describe(self) -> str:
        """Short form naming the unit as written in YAML: `<= 48 hour`, `<= 24 hour (working time)`."""
        return self.format("id")
