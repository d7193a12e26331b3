"""survey_share: the share of answers at or above a threshold, with a 95 % Wilson interval."""

from __future__ import annotations

import numpy as np
from ibis import _

from servicekb.compliance.kinds import register
from servicekb.compliance.kinds.base import Kind, zeros
from servicekb.compliance.measures import Measures
from servicekb.compliance.stats import compute_wilson, explain_wilson
from servicekb.compliance.words import format_number

__all__ = ["SurveyShare"]


class SurveyShare(Kind):
    """Satisfied answers (value >= threshold) over all answers, times `scale`."""

    name = "survey_share"
    needs = ("column", "threshold")
    verdict = "interval"
    description = "share of survey answers at or above a threshold, with its 95 % Wilson interval"

    def reduce(self, plan):
        d = plan.definition
        v = plan.col(d.column)
        answered = plan.selected() & v.notnull()
        return {"n": _.count(where=answered), "x": _.count(where=answered & (v >= d.threshold))}

    def finish(self, plan, found, windows=None):
        d = plan.definition
        n, sat = zeros(found["n"]), zeros(found["x"])
        out = Measures.blank(plan.size, "no answers")
        with np.errstate(divide="ignore", invalid="ignore"):
            out.value = np.where(n > 0, d.scale * sat / n, np.nan)
        lo, hi = compute_wilson(sat, n)
        out.ci_low, out.ci_high, out.n = lo * d.scale, hi * d.scale, n
        out.reason = np.where(n > 0, "", out.reason)
        return out

    def explain(self, plan, cell_rows, row, explained):
        d, num = plan.definition, format_number
        values = cell_rows[d.column].to_numpy(dtype=np.float64, na_value=np.nan)
        n, sat = int((~np.isnan(values)).sum()), int((values >= d.threshold).sum())
        explained.lines += [
            ("numerator", f"answers with {d.column} >= {num(d.threshold)}: {sat}"),
            ("denominator", f"answers: {n}"),
        ]
        if n == 0:
            return
        explained.lines.append(
            ("formula", f"value = {num(d.scale)} × {sat} / {n} = {num(d.scale * sat / n)} {row['unit']}")
        )
        w = explain_wilson(sat, n)
        explained.lines.append(
            (
                "interval",
                f"95 % Wilson, z = {w.z:.4f}, p = {sat}/{n} = {w.share:.4f}: "
                f"centre = (p + z²/2n)/(1 + z²/n) = {w.centre:.4f}, "
                f"half-width = z·√(p(1−p)/n + z²/4n²)/(1 + z²/n) = {w.half_width:.4f}; "
                f"× {num(d.scale)} = [{num(w.low * d.scale)}, {num(w.high * d.scale)}]",
            )
        )


register(SurveyShare())
