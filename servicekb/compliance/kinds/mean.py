"""mean: the arithmetic mean of per-row values (a column, or a duration) per cell."""

from __future__ import annotations

import numpy as np

from servicekb.compliance.kinds import register
from servicekb.compliance.kinds._values import RowValues
from servicekb.compliance.kinds.base import sum_if

__all__ = ["Mean"]


class Mean(RowValues):
    """Sum of the values over their number."""

    name = "mean"
    title = "平均值 mean"
    description = "mean of a column, or of a duration between two timestamps"

    def statistic(self, plan, value, where):
        return sum_if(value, where)

    def value(self, plan, stat, n):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(n > 0, stat / n, np.nan)

    def formula(self, plan, row, what, n):
        d, num = plan.definition, self.num
        total = float(row["value"]) * n if n else float("nan")
        scale = f" × {num(d.scale)}" if d.scale != 1 else ""
        return f"value = mean of {what}{scale} = {num(total)} / {n} = {num(row['value'])} {row['unit']}"


register(Mean())
