"""The shared base of `mean` and `percentile`: one value per row, from a column or a duration.

A column is multiplied by `scale` and converted from the metric's unit to
the target's (`servicekb.strictness.convert`); a duration (end - start,
only for events ended by the as-of time) is taken in seconds, times
`scale`, in the target's unit.
"""

from __future__ import annotations

import ibis
import numpy as np
from ibis import _

from servicekb.compliance.kinds.base import Kind, count_if, zeros
from servicekb.compliance.measures import Measures
from servicekb.compliance.words import format_number
from servicekb.strictness import convert
from servicekb.types import Unit

__all__ = ["RowValues"]

_SECONDS = {Unit.second: 1, Unit.minute: 60, Unit.hour: 3600, Unit.day: 86400}


class RowValues(Kind):
    """A statistic of per-row values; subclasses say which (`statistic`) and how it is explained."""

    def check(self, definition):
        if definition.column is None and (definition.start is None or definition.end is None):
            return [f"{self.name} needs `column`, or `start` and `end`"]
        return []

    def rows(self, plan):
        d, spec = plan.definition, plan.target.spec
        if d.column is not None:
            factor = convert(1.0, plan.target.metric.unit, spec.unit) or 1.0
            return {"v": plan.col(d.column).cast("float64") * d.scale * factor}
        start, end = plan.col(d.start), plan.col(d.end)
        done = end.notnull() & (end <= _._as_of)
        seconds = end.delta(start, unit="microsecond") / 1e6
        factor = 1.0 / _SECONDS.get(spec.unit, 3600)
        return {"v": ibis.ifelse(done, seconds, ibis.null("float64")) * d.scale * factor}

    def statistic(self, plan, value, where):
        """The reduction of the per-row values of a cell."""
        raise NotImplementedError

    def reduce(self, plan):
        v = plan.r("v")
        keep = plan.selected() & v.notnull() & ~v.isnan()
        return {"n": count_if(keep), "stat": self.statistic(plan, v, keep)}

    def finish(self, plan, found, windows=None):
        n = zeros(found["n"])
        out = Measures.blank(plan.size)
        out.n = n
        out.value = self.value(plan, np.asarray(found["stat"], dtype=np.float64), n)
        out.reason = np.where(n > 0, "", "no rows").astype(object)
        return out

    def value(self, plan, stat: np.ndarray, n: np.ndarray) -> np.ndarray:
        """The figure of every cell from the reduced statistic."""
        return np.where(n > 0, stat, np.nan)

    def explain(self, plan, cell_rows, row, explained):
        from servicekb.compliance.explain import describe_audits

        if "measured_value" in cell_rows.columns and "auditor" in cell_rows.columns:
            describe_audits(plan, cell_rows, explained)
        d = plan.definition
        what = d.column if d.column else f"{d.end} − {d.start} in {row['unit']}"
        explained.lines.append(("formula", self.formula(plan, row, what, int(row["n"]))))

    def formula(self, plan, row, what: str, n: int) -> str:
        """The formula line of the worked calculation."""
        raise NotImplementedError

    @staticmethod
    def num(x) -> str:
        """A number as the explanations print it."""
        return format_number(x)
