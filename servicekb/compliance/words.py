"""Numbers as the worked explanations print them: thousands separated, at most four decimals, `—` for none."""

from __future__ import annotations

import numpy as np

__all__ = ["format_number"]


def format_number(x: float) -> str:
    """`1,234`, `0.5`, `12.3457`; `—` for a missing value."""
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "—"
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.4f}".rstrip("0").rstrip(".")
