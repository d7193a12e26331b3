"""Metric definitions as the engine reads them: which rows a target selects, and what is summed.

A target's rows are the metric's table filtered by the definition's
`filters`, narrowed by the target's population (mapped onto columns),
with the definition's `defaults` for the columns the population leaves
open. `check_definition` names every problem of a definition (unknown
column, missing field for its kind, bad expression) so that a metric is
either computable or reported as not computable, never half-computed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from servicekb.datatables import TABLES, population_columns
from servicekb.models import Metric, MetricDefinition, Population

__all__ = ["POPULATION_COLUMNS", "Expression", "Selection", "check_definition", "parse_expression", "select_rows"]

# Population field -> the column it tests, per table (declared on the columns in servicekb/datatables.py).
POPULATION_COLUMNS: dict[str, dict[str, str]] = population_columns()

_NAME = r"[a-z_][a-z0-9_]*"


@dataclass(frozen=True)
class Expression:
    """A summed quantity: `count`, `count(<column>)`, `<column>` or `<column> - <column>`."""

    form: str
    columns: tuple[str, ...] = ()

    def __str__(self) -> str:
        if self.form == "count":
            return "count"
        if self.form == "count_set":
            return f"count({self.columns[0]})"
        return " - ".join(self.columns)


def parse_expression(text: str) -> Expression | None:
    """The expression in `text`, or None when it is not one of the four forms."""
    t = text.strip()
    if t == "count":
        return Expression("count")
    if m := re.fullmatch(rf"count\(\s*({_NAME})\s*\)", t):
        return Expression("count_set", (m.group(1),))
    if m := re.fullmatch(rf"({_NAME})\s*-\s*({_NAME})", t):
        return Expression("difference", (m.group(1), m.group(2)))
    if re.fullmatch(_NAME, t):
        return Expression("column", (t,))
    return None


@dataclass(frozen=True)
class Selection:
    """The rows of one table a target reads: (column, allowed values) pairs and where each comes from."""

    table: str
    filters: tuple[tuple[str, tuple], ...]
    origins: tuple[str, ...]

    def describe(self) -> str:
        """`kind = complaint (metric), topic = overall (default)`, or `all rows`."""
        parts = [
            f"{c} {'=' if len(v) == 1 else 'in'} {v[0] if len(v) == 1 else '|'.join(map(str, v))} ({o})"
            for (c, v), o in zip(self.filters, self.origins, strict=False)
        ]
        return ", ".join(parts) or "all rows"


def _values(value) -> tuple:
    return tuple(value) if isinstance(value, list) else (value,)


def _population_values(pop: Population) -> dict[str, tuple]:
    out: dict[str, tuple] = {}
    if pop.ticket_kind is not None:
        out["ticket_kind"] = (pop.ticket_kind.value,)
    if pop.severity is not None:
        out["severity"] = (pop.severity.value,)
    if pop.channels:
        out["channels"] = tuple(sorted(c.value for c in pop.channels))
    if pop.topic is not None:
        out["topic"] = (pop.topic,)
    if pop.in_warranty is not None:
        out["in_warranty"] = (pop.in_warranty,)
    return out


def select_rows(defn: MetricDefinition, pop: Population) -> Selection | str:
    """The selection of a target, or why its population cannot be selected in the metric's table."""
    table = defn.table.value
    columns = TABLES[table].names
    chosen: dict[str, tuple[tuple, str]] = {}
    for field, values in _population_values(pop).items():
        if field in defn.implied and set(values) <= set(_values(defn.implied[field])):
            continue
        column = POPULATION_COLUMNS[field].get(table)
        if column is None or column not in columns:
            shown = "|".join(map(str, values))
            return f"population {field}={shown} cannot be selected in {table} (no column for it)"
        origin = "target population"
        if column in defn.filters:
            if not set(values) <= set(_values(defn.filters[column])):
                return (
                    f"population {field}={'|'.join(map(str, values))} contradicts the metric's filter "
                    f"{column} = {'|'.join(map(str, _values(defn.filters[column])))}"
                )
            origin = "metric and target population"
        chosen[column] = (values, origin)
    for column, value in defn.filters.items():
        chosen.setdefault(column, (_values(value), "metric"))
    for column, value in defn.defaults.items():
        chosen.setdefault(column, (_values(value), "default of the metric"))
    ordered = sorted(chosen.items())
    return Selection(table, tuple((c, v) for c, (v, _) in ordered), tuple(o for _, (_, o) in ordered))


def check_definition(metric: Metric) -> list[str]:
    """Every problem of a metric's definition (empty when it is computable, or has no definition)."""
    d = metric.definition
    if d is None:
        return []
    from servicekb.compliance.kinds import get_kind

    out = []
    table = TABLES[d.table.value]
    kind = get_kind(d.kind)
    name_of_kind = getattr(d.kind, "value", d.kind)
    if kind is None:
        return [f"no metric kind {name_of_kind!r} is registered"]
    for name in kind.needs:
        if getattr(d, name) is None:
            out.append(f"{name_of_kind} needs `{name}`")
    out += kind.check(d)
    for key in ("filters", "defaults"):
        out += [f"{key}: {table.name} has no column {c!r}" for c in getattr(d, key) if table.column(c) is None]
    out += [f"implied: {f!r} is not a population field" for f in d.implied if f not in POPULATION_COLUMNS]
    for name in ("start", "end", "column"):
        col = getattr(d, name)
        if col is not None and table.column(col) is None:
            out.append(f"{name}: {table.name} has no column {col!r}")
        elif col is not None and name != "column" and table.column(col).type != "timestamp":
            out.append(f"{name}: {col!r} is not a timestamp column")
    for name, tname in (("numerator", d.table.value), ("denominator", (d.denominator_table or d.table).value)):
        text = getattr(d, name)
        if text is None:
            continue
        expr = parse_expression(text)
        if expr is None:
            out.append(f"{name}: {text!r} is not `count`, `count(<column>)`, `<column>` or `<column> - <column>`")
            continue
        out += [f"{name}: {tname} has no column {c!r}" for c in expr.columns if TABLES[tname].column(c) is None]
    if d.denominator_table is not None and "denominator_table" not in kind.optional:
        out.append("denominator_table is only for ratio metrics")
    return out
