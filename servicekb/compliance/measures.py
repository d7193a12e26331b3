"""The measures of one target on every grid cell: what a metric kind hands to the scorecard.

Dense arrays over the stores x periods grid (cell = store x count + period
index): value, n, interval, breaches, pending, worst delay, whether the
figure is final (`settled`) and, per cell, why it has no value or is
undecided (`reason`). Verdicts are decided from these in one place
(`compliance.scorecard`), never by a kind.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Measures"]


@dataclass
class Measures:
    """Dense arrays over the grid cells; `reason` says why a cell has no value (or why it is undecided)."""

    value: np.ndarray
    n: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    breaches: np.ndarray
    pending: np.ndarray
    worst_delay: np.ndarray
    settled: np.ndarray
    reason: np.ndarray
    computable: bool = True

    @classmethod
    def blank(cls, size: int, reason: str = "", computable: bool = True) -> Measures:
        """Measures without values (no data, or not computable) with one reason for every cell."""
        nan = np.full(size, np.nan)
        return cls(
            nan,
            np.zeros(size),
            nan.copy(),
            nan.copy(),
            nan.copy(),
            nan.copy(),
            nan.copy(),
            np.ones(size, dtype=bool),
            np.full(size, reason, dtype=object),
            computable,
        )

    def take(self, cells: np.ndarray) -> Measures:
        """The measures of the given cells, in that order (a narrower grid)."""
        return Measures(
            self.value[cells],
            self.n[cells],
            self.ci_low[cells],
            self.ci_high[cells],
            self.breaches[cells],
            self.pending[cells],
            self.worst_delay[cells],
            self.settled[cells],
            self.reason[cells],
            self.computable,
        )
