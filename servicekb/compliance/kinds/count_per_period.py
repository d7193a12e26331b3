"""count_per_period: rows (or distinct values of a column) per window, scaled to the target's frequency.

The window is the target's unit (a month, quarter, half-year or year), or
the scoring period when that is longer; every cell takes the count of the
window holding its period. Counts of rows are summed from the cells of the
window on the small grid; distinct values over a window wider than the
period are counted in a pass grouped by window.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from ibis import _

from servicekb.compliance.kinds import register
from servicekb.compliance.kinds.base import Kind, zeros
from servicekb.compliance.measures import Measures
from servicekb.compliance.periods import count_months, format_period
from servicekb.compliance.words import format_number
from servicekb.types import Unit

__all__ = ["CountPerPeriod", "count_window_months"]

PER_MONTHS = {Unit.per_month: 1, Unit.per_quarter: 3, Unit.per_half_year: 6, Unit.per_year: 12}


def count_window_months(spec, granularity: str) -> int:
    """Months counted for a count-per-period target: its unit's window, or the scoring period when longer."""
    return max(PER_MONTHS.get(spec.unit, 1), count_months(granularity))


def _distinct(plan, where):
    column = plan.col(plan.definition.column)
    # A missing value counts as one value of its own, as a distinct key does.
    return column.nunique(where=where) + _.count(where=where & column.isnull()).clip(upper=1)


class CountPerPeriod(Kind):
    """How often something happened in the window (sessions, visits), per the target's frequency unit."""

    name = "count_per_period"
    verdict = "window"
    description = "rows, or distinct values of a column, per month, quarter, half-year or year"

    def prepare(self, plan):
        if plan.target.spec.unit not in PER_MONTHS:
            return f"unit {plan.target.spec.unit.value} is not a frequency"
        plan.prepared = count_window_months(plan.target.spec, plan.ctx.grid.granularity)
        return None

    def _per_cell(self, plan) -> bool:
        return plan.definition.column is None or plan.prepared == count_months(plan.ctx.grid.granularity)

    def reduce(self, plan):
        if not self._per_cell(plan):
            return {}
        sel = plan.selected()
        return {"k": _.count(where=sel) if plan.definition.column is None else _distinct(plan, sel)}

    def window(self, plan):
        if self._per_cell(plan):
            return None
        return plan.prepared, {"k": _distinct(plan, plan.selected())}

    def finish(self, plan, found, windows=None):
        grid, width = plan.ctx.grid, plan.prepared
        per = count_months(grid.granularity)
        n_stores = len(grid.stores)
        cell_store = np.repeat(np.arange(n_stores), grid.count)
        cell_window = np.tile((grid.first + np.arange(grid.count)) * per // width, n_stores)
        if windows is not None:
            index = pd.MultiIndex.from_arrays([windows["_s"].to_numpy(), windows["_w"].to_numpy()])
            counts = pd.Series(windows["k"].to_numpy(dtype=np.float64), index=index)
            got = counts.reindex(pd.MultiIndex.from_arrays([cell_store, cell_window])).fillna(0)
            found_k = got.to_numpy(dtype=np.float64)
        else:
            k = zeros(found["k"])
            # Cells of one store and window share the window's total.
            total = pd.Series(k).groupby([cell_store, cell_window]).transform("sum")
            found_k = total.to_numpy(dtype=np.float64)
        out = Measures.blank(grid.size)
        out.n = found_k
        out.value = found_k * PER_MONTHS[plan.target.spec.unit] / width
        as_of_month = plan.ctx.as_of_local.view("datetime64[ns]").astype("datetime64[M]").astype(np.int64)
        out.settled = as_of_month[cell_store] >= (cell_window + 1) * width
        out.reason = np.where(out.settled, "", "the window is still open at the as-of time").astype(object)
        return out

    def explain(self, plan, cell_rows, row, explained):
        from servicekb.compliance.explain import describe_lines, fetch_window

        grid, width, num = plan.ctx.grid, plan.prepared, format_number
        per = count_months(grid.granularity)
        window = (grid.first + int(row["period_index"])) * per // width
        first_month, last_month = window * width, window * width + width - 1
        span = format_period(first_month, "month") + (f" to {format_period(last_month, 'month')}" if width > 1 else "")
        found = fetch_window(plan, row, width, window)
        what = f"distinct {plan.definition.column}" if plan.definition.column else "rows"
        explained.lines.append(
            (
                "window",
                f"{span} ({width} month{'s' * (width > 1)}): {what} of "
                f"{describe_lines(plan.ctx, plan.table, found['_row'].to_numpy())} = {num(row['n'])}",
            )
        )
        unit_months = PER_MONTHS[Unit(row["unit"])]
        explained.lines.append(
            ("formula", f"value = {num(row['n'])} × {unit_months} / {width} = {num(row['value'])} {row['unit']}")
        )


register(CountPerPeriod())
