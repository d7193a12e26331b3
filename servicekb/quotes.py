"""A target's numbers must be readable from its own verbatim quote.

A reviewer's most likely mistake is editing a value and leaving the quote:
`value: 48` under "投诉处理需在24小时内响应". This module reads the quantities
the quote states (`servicekb.quantities`) and says which of value, unit or
comparator disagrees. The reading follows PRC drafting convention
(以上/以下/以内/内/不超过/不少于 inclusive; 超过/低于 exclusive) with two
readings that depend on the metric:

- a bare amount ("8小时到场", "7天无理由退换货") states no comparator; the
  target's comparator must then be the one the metric's direction implies
  (a bound on the bad side: `<=` for lower-is-better, `>=` for
  higher-is-better), or `==`;
- "七日内" on a higher-is-better duration (a period granted, such as the
  return window) grants at least that period: it reads as `>=`.

Codes: `quote-without-number`, `quote-value-mismatch`,
`quote-unit-mismatch`, `quote-comparator-mismatch`.
"""

from __future__ import annotations

from dataclasses import dataclass

from servicekb.models import Metric, Target
from servicekb.quantities import Quantity, find_quantities
from servicekb.types import Comparator, Dimension, Direction, Unit, unit_dimension
from servicekb.units import CALENDAR_SECONDS, unit_spec

__all__ = ["QuoteMismatch", "check_quote", "read_comparators"]

_WITHIN = ("之内", "以内", "内")


@dataclass(frozen=True)
class QuoteMismatch:
    """What of a target its quote does not state: the field, a stable code and a message."""

    field: str
    code: str
    message: str


def _scaled(value: float, unit: Unit) -> tuple[str, float]:
    """A value on a comparable scale: calendar durations in seconds, everything else as it is."""
    # Calendar durations compare on one scale; a working day is its own clock and never converts.
    spec = unit_spec(unit)
    if spec.scale == CALENDAR_SECONDS:
        return "duration", value * spec.factor
    return unit.value, value


def _same_number(q: Quantity, t: Target) -> bool:
    return _scaled(q.value, q.unit) == _scaled(t.value, t.unit) and (
        (q.upper is None and t.upper is None)
        or (q.upper is not None and t.upper is not None and _scaled(q.upper, q.unit) == _scaled(t.upper, t.unit))
    )


def read_comparators(q: Quantity, metric: Metric | None) -> set[Comparator]:
    """The comparators a target may have for this quantity of its quote."""
    if q.comparator is Comparator.between:
        return {Comparator.between}
    direction = metric.direction if metric else None
    if not q.stated:
        implied = {Direction.lower_is_better: Comparator.le, Direction.higher_is_better: Comparator.ge}
        return {Comparator.eq, implied[direction]} if direction else {Comparator.eq, Comparator.le, Comparator.ge}
    if (
        direction is Direction.higher_is_better
        and unit_dimension(q.unit) is Dimension.duration
        and q.comparator is Comparator.le
        and q.word in _WITHIN
    ):
        # 七日内有权退货: the period granted is at least seven days.
        return {Comparator.ge}
    return {q.comparator}


def check_quote(target: Target, metric: Metric | None) -> QuoteMismatch | None:
    """None when some quantity of the quote states the target's value, unit and comparator; else what differs."""
    quantities = find_quantities(target.quote)
    if not quantities:
        return QuoteMismatch(
            "quote", "quote-without-number", f"the quote {target.quote!r} states no number the target could come from"
        )
    if any(_same_number(q, target) and target.comparator in read_comparators(q, metric) for q in quantities):
        return None
    same = [q for q in quantities if _same_number(q, target)]
    if same:
        read = sorted({c.value for q in same for c in read_comparators(q, metric)})
        return QuoteMismatch(
            "comparator",
            "quote-comparator-mismatch",
            f"the quote {target.quote!r} reads as {' or '.join(read)} {_show(same[0])}, not {target.comparator.value}",
        )
    if any(q.value == target.value and q.upper == target.upper for q in quantities):
        units = sorted({q.unit.value for q in quantities if q.value == target.value})
        return QuoteMismatch(
            "unit",
            "quote-unit-mismatch",
            f"the quote {target.quote!r} states {target.value:g} in {', '.join(units)}, not {target.unit.value}",
        )
    stated = ", ".join(_show(q) for q in quantities)
    return QuoteMismatch(
        "value", "quote-value-mismatch", f"the quote {target.quote!r} states {stated}, not {_show(target)}"
    )


def _show(q: Quantity | Target) -> str:
    """`24 hour`, `2-4 hour`: the number part of a quantity or a target, for messages."""
    number = f"{q.value:g}-{q.upper:g}" if q.upper is not None else f"{q.value:g}"
    return f"{number} {q.unit.value}"
