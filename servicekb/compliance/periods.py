"""The time axis of a scorecard: local wall-clock times, months and quarters, period labels.

An event belongs to the month (or quarter) of its opening in its store's
timezone, so every timestamp is first turned into local wall-clock
nanoseconds (one vectorised conversion per timezone, never per row). A
period is an integer code: months since 1970-01, or quarters since 1970-Q1.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "DAY_NS",
    "NAT",
    "Grid",
    "count_months",
    "format_period",
    "get_period_bounds",
    "to_local_ns",
    "to_months",
    "to_periods",
]

NAT = np.iinfo(np.int64).min
DAY_NS = 86_400 * 10**9


def to_local_ns(utc: pd.Series, tz_codes: np.ndarray, zones: list[str]) -> np.ndarray:
    """Local wall-clock time (int64 ns; NAT where missing) of UTC timestamps, row i in zone `zones[tz_codes[i]]`."""
    values = utc.to_numpy(dtype="datetime64[ns]", na_value=np.datetime64("NaT"))
    out = np.full(len(values), NAT, dtype=np.int64)
    for code, zone in enumerate(zones):
        m = tz_codes == code
        if not m.any():
            continue
        part = pd.DatetimeIndex(values[m]).tz_localize("UTC").tz_convert(zone).tz_localize(None)
        out[m] = part.asi8
    return out


def to_months(local: np.ndarray) -> np.ndarray:
    """Months since 1970-01 of local ns times (NAT stays a very negative number)."""
    months = local.view("datetime64[ns]").astype("datetime64[M]").astype(np.int64)
    return np.where(local == NAT, NAT, months)


def to_periods(months: np.ndarray, granularity: str) -> np.ndarray:
    """Month codes -> period codes (quarters since 1970-Q1 for `quarter`)."""
    if granularity == "quarter":
        return np.where(months == NAT, NAT, months // 3)
    return months


def count_months(granularity: str) -> int:
    """Months per period."""
    return 3 if granularity == "quarter" else 1


def format_period(code: int, granularity: str) -> str:
    """`2026-03` or `2026-Q1`."""
    if granularity == "quarter":
        return f"{1970 + code // 4:04d}-Q{code % 4 + 1}"
    return f"{1970 + code // 12:04d}-{code % 12 + 1:02d}"


def get_period_bounds(code: int, granularity: str) -> tuple[dt.date, dt.date]:
    """First and last day of a period."""
    first_month = code * count_months(granularity)
    start = np.datetime64(first_month, "M").astype("datetime64[D]").astype(dt.date)
    end = (
        np.datetime64(first_month + count_months(granularity), "M").astype("datetime64[D]") - np.timedelta64(1, "D")
    ).astype(dt.date)
    return start, end


@dataclass(frozen=True)
class Grid:
    """The cells of a scorecard: stores (codes 0..S-1) x periods (codes first..first+count-1)."""

    stores: pd.Index
    zones: tuple[str, ...]
    tz_codes: np.ndarray
    granularity: str
    first: int
    count: int

    @property
    def size(self) -> int:
        """Number of cells, stores x periods."""
        return len(self.stores) * self.count

    def labels(self) -> list[str]:
        """Period labels in order."""
        return [format_period(self.first + i, self.granularity) for i in range(self.count)]

    def cell(self, store: np.ndarray, period: np.ndarray) -> np.ndarray:
        """Flat cell index of (store code, period index) pairs."""
        return store.astype(np.int64) * self.count + period.astype(np.int64)
