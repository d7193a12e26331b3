"""The one table of units: dimension, factor to a canonical scale, Chinese and English names; and their formatter.

Adding a unit is one entry in `UNITS`: the `Unit` enumeration of the models
(and so the JSON Schemas after `servicekb schemas`), conversion, strictness,
conflict grouping and every Chinese or English rendering of a target or a
figure read it from here.

A unit's *scale* is what its values convert on: units of one scale convert
by their factors (a day is 86,400 calendar seconds, a quarter is 4 per year);
units of different scales never convert. A working day is a duration but not
a fixed number of seconds (weekends, holidays, the PRC adjusted working days),
so it has its own scale; `servicekb.strictness` knows the one safe inference
between the two (N working days last at least N calendar days).

Formatting for people lives here too, in four styles of one function
(`format_target`): Chinese with symbols (`≤ 48 小时`) and in words
(`不超过 48 小时`) for pages and scorecards, English for the graph's messages
(`<= 48 h`) and the unit's own id for the reports that name units as written
in YAML (`<= 48 hour`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

__all__ = [
    "CALENDAR_SECONDS",
    "COMPARATOR_WORDS",
    "UNITS",
    "WORKING_DAYS",
    "Dimension",
    "Unit",
    "UnitSpec",
    "convert",
    "format_number",
    "format_quantity",
    "format_target",
    "format_unit",
    "name_unit",
    "unit_dimension",
    "unit_spec",
]


class Dimension(str, Enum):
    """Physical dimension of a unit; targets and metrics must agree on it."""

    duration = "duration"
    percent = "percent"
    points = "points"
    count = "count"
    frequency = "frequency"
    money = "money"
    ratio = "ratio"


CALENDAR_SECONDS = "calendar-seconds"
WORKING_DAYS = "working-days"
PER_YEAR = "per-year"


@dataclass(frozen=True)
class UnitSpec:
    """One unit: its id (the YAML spelling), dimension, scale and factor on it, and its names for people.

    `zh` is the Chinese label after a number (`48 小时`; empty for a bare ratio);
    `en` the English symbol of the graph's messages (`48 h`; empty for a count);
    `zh_alone` the Chinese name where no number precedes it, when it differs from `zh` (`比值`).
    """

    id: str
    dimension: Dimension
    scale: str
    factor: float
    zh: str
    en: str
    zh_alone: str = ""


UNITS: tuple[UnitSpec, ...] = (
    UnitSpec("second", Dimension.duration, CALENDAR_SECONDS, 1.0, "秒", "s"),
    UnitSpec("minute", Dimension.duration, CALENDAR_SECONDS, 60.0, "分钟", "min"),
    UnitSpec("hour", Dimension.duration, CALENDAR_SECONDS, 3600.0, "小时", "h"),
    UnitSpec("day", Dimension.duration, CALENDAR_SECONDS, 86400.0, "天", "days"),
    UnitSpec("working_day", Dimension.duration, WORKING_DAYS, 1.0, "个工作日", "working days"),
    UnitSpec("percent", Dimension.percent, "percent", 1.0, "%", "%"),
    UnitSpec("point", Dimension.points, "point", 1.0, "分", "points"),
    UnitSpec("count", Dimension.count, "count", 1.0, "次", ""),
    UnitSpec("per_month", Dimension.frequency, PER_YEAR, 12.0, "次/月", "per month"),
    UnitSpec("per_quarter", Dimension.frequency, PER_YEAR, 4.0, "次/季度", "per quarter"),
    UnitSpec("per_half_year", Dimension.frequency, PER_YEAR, 2.0, "次/半年", "per half-year"),
    UnitSpec("per_year", Dimension.frequency, PER_YEAR, 1.0, "次/年", "per year"),
    UnitSpec("yuan", Dimension.money, "yuan", 1.0, "元", "yuan"),
    UnitSpec("ratio", Dimension.ratio, "ratio", 1.0, "", "", zh_alone="比值"),
)

Unit = Enum("Unit", [(u.id, u.id) for u in UNITS], type=str, module=__name__, qualname="Unit")
Unit.__doc__ = "Units of targets and metrics. A unit lives here, never in a name."

_SPECS: dict[str, UnitSpec] = {u.id: u for u in UNITS}


def unit_spec(unit: Unit | str) -> UnitSpec:
    """The table entry of a unit (by member or id)."""
    return _SPECS[unit.value if isinstance(unit, Unit) else unit]


def unit_dimension(unit: Unit) -> Dimension:
    """Return the dimension of a unit (hour and working_day are both durations)."""
    return unit_spec(unit).dimension


def convert(value: float, unit: Unit, to: Unit) -> float | None:
    """`value` in `unit` expressed in `to`; None when the units do not convert (working vs calendar days)."""
    if unit is to:
        return value
    a, b = unit_spec(unit), unit_spec(to)
    if a.scale != b.scale:
        return None
    return value * a.factor / b.factor


def format_unit(unit: Unit) -> str:
    """`小时`, `%`, `个工作日`; empty for a bare ratio."""
    return unit_spec(unit).zh


def name_unit(unit: Unit) -> str:
    """The unit's Chinese name on its own (a column, `实测值以“小时”填写`): `小时`, `比值`."""
    spec = unit_spec(unit)
    return spec.zh_alone or spec.zh


def format_number(value: float, digits: int | None = None) -> str:
    """A number as people write it: `48`, `2.5`, `0.03` (no trailing zeros, no exponent); rounded to `digits`."""
    if digits is not None:
        # round() of the value as given: a numpy float rounds as numpy does, as the scorecard always has.
        value = round(value, digits)
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def format_quantity(value: float, unit: Unit | str, digits: int | None = None) -> str:
    """`48 小时`, `90 %`, `3 个工作日`; a unit this table does not know is written as given."""
    label = unit_spec(unit).zh if (unit.value if isinstance(unit, Unit) else unit) in _SPECS else str(unit)
    return f"{format_number(value, digits)} {label}".rstrip()


# Comparators by their YAML spelling (`Comparator.value`), so that this module needs no model.
_SYMBOLS_ZH = {"<=": "≤", "<": "<", ">=": "≥", ">": ">", "==": "="}
COMPARATOR_WORDS = {"<=": "不超过", "<": "少于", ">=": "不低于", ">": "高于", "==": "等于", "between": "介于"}
"""Each comparator in Chinese words, by its YAML spelling (sentences, the profile reference)."""


def format_target(comparator, value: float, upper: float | None, unit: Unit, clock=None, style: str = "zh") -> str:
    """A target's numbers for people, in one of four styles.

    - `zh`: `≤ 48 小时`, `介于 2–4 小时`, `≤ 24 小时（工作时间）` (tables, scorecards);
    - `zh-words`: `不超过 48 小时`, `介于 2 至 4 小时` (sentences);
    - `en`: `<= 48 h`, `between 2 and 4 h`, `<= 3 working days`, `<= 8 working hours` (the graph's messages);
    - `id`: `<= 48 hour`, `between 2-4 hour`, `<= 24 hour (working time)` (reports naming units as in YAML).

    Args:
        comparator: A `Comparator` (or its spelling `<=` ... `between`).
        value: The value, or the lower end for `between`.
        upper: The upper end for `between` (the value when missing).
        unit: The unit of both.
        clock: A `Clock`, or None; `working_days` marks working time on a unit that is not a working day.
        style: `zh`, `zh-words`, `en` or `id`.
    """
    comp = getattr(comparator, "value", comparator)
    working = getattr(clock, "value", clock) == "working_days" and unit_spec(unit).scale != WORKING_DAYS
    top = upper if upper is not None else value
    if style in ("zh", "zh-words"):
        words, dash = (_SYMBOLS_ZH, "–") if style == "zh" else (COMPARATOR_WORDS, " 至 ")
        if comp == "between":
            text = f"{COMPARATOR_WORDS['between']} {format_number(value)}{dash}{format_quantity(top, unit)}"
        else:
            text = f"{words[comp]} {format_quantity(value, unit)}"
        return text + ("（工作时间）" if working else "")
    if style == "en":
        label = unit_spec(unit).en
        # Working time in hours has an English name; other working-clock units keep their own.
        label = "working hours" if working and unit_spec(unit).id == "hour" else label
        label = f" {label}" if label else ""
        if comp == "between":
            return f"between {value:g} and {top:g}{label}"
        return f"{comp} {value:g}{label}"
    if style != "id":
        raise ValueError(f"unknown style {style!r}")
    name = unit_spec(unit).id
    text = f"between {value:g}-{top:g} {name}" if comp == "between" else f"{comp} {value:g} {name}"
    return text + (" (working time)" if working else "")
