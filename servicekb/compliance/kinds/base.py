"""What a metric kind declares, and the plan of one target that its expressions are written against.

A `Kind` turns a target into engine-neutral Ibis expressions over the base
projection of its table (`Context.base`): per-row columns (`rows`, e.g. a
deadline's outcome and delay per event), per-cell reductions with `where=`
filters (`reduce`, grouped by store and period together with every other
target on the same table), reductions on another table (`reduce_other`,
the denominator of a ratio), and `finish`, which turns the reduced numbers
of every cell into `Measures` on the small grid. Expressions are written
with Ibis' deferred `_`, so that one pass over a table evaluates the
expressions of every target reading it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import ibis
import numpy as np
from ibis import _

from servicekb.compliance.context import Context, Needs, run
from servicekb.compliance.definitions import Selection
from servicekb.compliance.measures import Measures
from servicekb.compliance.targets import ScoredTarget

__all__ = ["Explained", "Kind", "Plan", "count_if", "max_if", "sum_if", "zeros"]


@dataclass
class Plan:
    """One target on one table: its selection, the context, and the names its expressions are stored under."""

    target: ScoredTarget
    selection: Selection
    ctx: Context
    key: str
    label: str
    prepared: object = None
    needs: Needs = field(default_factory=Needs)
    # Filled by the compiler: the base table with every per-row column, to fetch rows from,
    # and the per-row column that holds the selection (shared by targets that select the same rows).
    table_expr: object = None
    selection_column: str | None = None

    @property
    def definition(self):
        """The metric's definition."""
        return self.target.metric.definition

    @property
    def table(self) -> str:
        """The table the target reads."""
        return self.selection.table

    @property
    def size(self) -> int:
        """Cells of the grid."""
        return self.ctx.grid.size

    def col(self, name: str, table: str | None = None):
        """A column of the base projection (an absent optional column reads as its default)."""
        return self.ctx.deferred_column(table or self.table, name)

    def selected(self):
        """True on the rows the target's selection keeps."""
        if self.selection_column is not None:
            return _[self.selection_column]
        return self.ctx.selects(self.table, self.selection.filters)

    def r(self, name: str):
        """A per-row column of this target (declared by `Kind.rows`); a name starting with `_` is shared."""
        return _[name if name.startswith("_") else self.key + name]

    def _rows(self, column: str) -> frozenset[tuple[str, tuple]]:
        # A target reads local times and calendars of its own rows only: every reduction is of selected rows.
        return frozenset({(column, self.selection.filters)})

    def local(self, column: str):
        """The local wall-clock time of a timestamp column."""
        self.needs = self.needs | Needs(local=frozenset({column}), rows=self._rows(column))
        return _[f"_local_{column}"]

    def calendar(self, column: str):
        """(local day, working day?, running working-day count) of a timestamp column; all empty on a day the
        working-day calendar does not know."""
        self.needs = self.needs | Needs(
            local=frozenset({column}), calendar=frozenset({column}), rows=self._rows(column)
        )
        return _[f"_day_{column}"], _[f"_work_{column}"], _[f"_cum_{column}"]

    def due(self, column: str, n: int):
        """(day, running count) of the Nth working day after the local day of a column; empty past the calendar."""
        self.needs = self.needs | Needs(
            calendar=frozenset({column}), due=frozenset({(column, n)}), rows=self._rows(column)
        )
        return _[f"_due_{n}_{column}"], _[f"_due_cum_{n}_{column}"]

    def fetch(self, cond, columns: list[str]):
        """Rows of the target's table (with its per-row columns) where `cond` holds, as a pandas frame."""
        q = self.table_expr
        return run(q.filter(cond.resolve(q) if hasattr(cond, "resolve") else cond).select(*columns))


@dataclass
class Explained:
    """Lines of a worked calculation a kind adds, and the worst events when it has any."""

    lines: list[tuple[str, str]] = field(default_factory=list)
    worst: object = None


class Kind:
    """A metric kind: the fields it needs, its expressions, how its verdict is decided, its words.

    `verdict`: `interval` (a Wilson interval against the target), `attainment`
    (share of decided events against the required level), `window` (an exact
    comparison that may stay open until the counting window closes) or
    `exact`. `needs`: definition fields the kind requires; `optional`: fields
    only this kind may set (beyond the common ones). `value_unit`: the unit of the value when it is not the target's.
    """

    name: str = ""
    needs: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    verdict: str = "exact"
    value_unit: str | None = None
    # The catalogue's name of the kind, Chinese then English (`平均值 mean`), and a sentence on what it computes.
    title: str = ""
    description: str = ""

    def check(self, definition) -> list[str]:
        """Problems of a definition beyond missing `needs` fields."""
        return []

    def columns(self, definition) -> list[str]:
        """Columns of the metric's table the kind reads (an absent one makes the target no-data)."""
        return [c for c in (definition.start, definition.end, definition.column) if c]

    def prepare(self, plan: Plan) -> str | None:
        """Set `plan.prepared`; return why the target cannot be computed, or None."""
        return None

    def rows(self, plan: Plan) -> dict:
        """Per-row columns (deferred expressions) on the target's table: one dict, or a list of stages."""
        return {}

    def explain_rows(self, plan: Plan) -> list[dict]:
        """More per-row columns, in stages after those of `rows`, that only a worked explanation prints."""
        return []

    def reduce(self, plan: Plan) -> dict:
        """Per-cell reductions (deferred, with `where=`) on the target's table."""
        return {}

    def reduce_other(self, plan: Plan) -> dict[str, dict]:
        """Per-cell reductions on other tables, by table."""
        return {}

    def shown(self, plan: Plan, table: str) -> dict:
        """Per-row values a worked explanation prints for rows of `table` (deferred expressions by name)."""
        return {}

    def window(self, plan: Plan) -> tuple[int, dict] | None:
        """(months, reductions) grouped by store and window of that many months, when the cell grid cannot hold them."""
        return None

    def finish(self, plan: Plan, found: dict[str, np.ndarray], windows=None) -> Measures:
        """The measures of every cell from the reduced numbers (`found[name]`: NaN where a cell had no row)."""
        raise NotImplementedError

    def explain(self, plan: Plan, cell_rows, row, explained: Explained) -> None:
        """Add the kind's lines of the worked calculation of one cell (`cell_rows`: its selected rows)."""


# Conditional reductions as plain expressions rather than `FILTER (WHERE ...)`: every SQL engine runs them.
# A count is the sum of the condition as a 64-bit integer: DuckDB sums dozens of those in one hash aggregate
# about 2.4x faster than `SUM(CASE WHEN c THEN 1 ELSE 0 END)` (whose 32-bit sum widens to 128 bits).


def count_if(cond):
    """The number of rows where `cond` holds (0 for a cell whose rows never satisfy it; a NULL counts as false)."""
    # The sum skips NULLs; a cell whose every row is NULL sums to NULL, hence the fill (on the small result).
    return cond.cast("int64").sum().fill_null(0)


def sum_if(value, cond):
    """The sum of `value` over the rows where `cond` holds (empty when there is none)."""
    return ibis.ifelse(cond, value, ibis.null()).sum()


def max_if(value, cond):
    """The largest `value` over the rows where `cond` holds (empty when there is none)."""
    return ibis.ifelse(cond, value, ibis.null()).max()


def zeros(values: np.ndarray) -> np.ndarray:
    """Counts with cells without rows as 0."""
    return np.nan_to_num(np.asarray(values, dtype=np.float64), nan=0.0)
