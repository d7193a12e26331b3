"""percentile: a percentile of per-row values per cell, interpolated linearly between them."""

from __future__ import annotations

from servicekb.compliance.kinds import register
from servicekb.compliance.kinds.values import RowValues

__all__ = ["Percentile"]


class Percentile(RowValues):
    """The `percentile`-th percentile (0-100), linear interpolation between the two nearest values."""

    name = "percentile"
    needs = ("percentile",)
    description = "percentile of a column, or of a duration between two timestamps, interpolated linearly"

    def statistic(self, plan, value, where):
        return value.quantile(plan.definition.percentile / 100.0, where=where)

    def formula(self, plan, row, what, n):
        num = self.num
        return (
            f"value = percentile {num(plan.definition.percentile)} of {what} over {n} row(s), "
            f"interpolated linearly = {num(row['value'])} {row['unit']}"
        )


register(Percentile())
