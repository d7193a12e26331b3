"""The 95 % Wilson score interval of a share, vectorised.

For x satisfied answers out of n, with z = 1.959964 (the 97.5 % normal
quantile): centre = (p + z²/2n) / (1 + z²/n) and half-width =
z·sqrt(p(1-p)/n + z²/4n²) / (1 + z²/n), where p = x/n. Unlike the normal
approximation it stays inside [0, 1] and behaves for small n and for
shares near 0 or 1, which is where a store's monthly survey often is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Z95", "WilsonSteps", "compute_wilson", "explain_wilson"]

Z95 = 1.959963984540054


def compute_wilson(successes: np.ndarray, n: np.ndarray, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper ends of the Wilson interval of successes/n (shares 0-1; NaN where n = 0)."""
    x = np.asarray(successes, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / n
        denom = 1.0 + z * z / n
        centre = (p + z * z / (2.0 * n)) / denom
        half = z * np.sqrt(p * (1.0 - p) / n + z * z / (4.0 * n * n)) / denom
    lo = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
    hi = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    return lo, hi


@dataclass(frozen=True)
class WilsonSteps:
    """The intermediate numbers of one Wilson interval, for a worked calculation."""

    successes: int
    n: int
    z: float
    share: float
    centre: float
    half_width: float
    low: float
    high: float


def explain_wilson(successes: int, n: int, z: float = Z95) -> WilsonSteps:
    """The Wilson interval of one share with every intermediate number (n > 0)."""
    p = successes / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2.0 * n)) / denom
    half = z * float(np.sqrt(p * (1.0 - p) / n + z * z / (4.0 * n * n))) / denom
    return WilsonSteps(successes, n, z, p, centre, half, max(0.0, centre - half), min(1.0, centre + half))
