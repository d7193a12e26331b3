"""percentile: a percentile of per-row values per cell, interpolated linearly between them."""

from __future__ import annotations

import ibis

from servicekb.compliance.kinds import register
from servicekb.compliance.kinds._values import RowValues

__all__ = ["Percentile"]


class Percentile(RowValues):
    """The `percentile`-th percentile (0-100), linear interpolation between the two nearest values."""

    name = "percentile"
    title = "分位数 percentile"
    needs = ("percentile",)
    description = "percentile of a column, or of a duration between two timestamps, interpolated linearly"

    def statistic(self, plan, value, where):
        return ibis.ifelse(where, value, ibis.null()).quantile(plan.definition.percentile / 100.0)

    def formula(self, plan, row, what, n):
        num = self.num
        return (
            f"value = percentile {num(plan.definition.percentile)} of {what} over {n} row(s), "
            f"interpolated linearly = {num(row['value'])} {row['unit']}"
        )


register(Percentile())
