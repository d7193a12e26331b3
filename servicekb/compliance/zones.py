"""Local wall-clock time to UTC on any engine: one row per timezone and local day, joined on equality.

A timestamp without offset is in its store's timezone. Converting it row by
row with a zone function is slow on every engine and not portable; here the
zone rules become data: for every zone and local day, the UTC offset of the
day and, on the day of a daylight-saving change, the local interval that
does not exist (clocks go forward) or is ambiguous (clocks go back). A
reader joins its rows on (zone, local day) and computes

    utc = local - off_before                 when bad_from is null or local < bad_from
    utc = local - off_after                  when local >= bad_to
    (bad local time)                         otherwise

which is plain arithmetic on any SQL engine. The offsets come from pandas'
own conversion, so a local time is judged as `tz_localize(ambiguous="NaT",
nonexistent="NaT")` judges it. Two changes on one local day (none in the
supported range of any current zone) keep the later one.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd

__all__ = ["ZONE_DAY_COLUMNS", "build_zone_days", "find_offset_changes", "utc_offsets"]

ZONE_DAY_COLUMNS = ["zone", "day", "off_before", "off_after", "bad_from", "bad_to"]
# The supported range of timestamps (compliance.parse EARLIEST..LATEST), with a day of margin on each side.
_FIRST = pd.Timestamp("1899-12-30")
_LAST = pd.Timestamp("2201-01-02")


def utc_offsets(zone: str, instants: np.ndarray) -> np.ndarray:
    """UTC offset in seconds of `zone` at UTC instants (datetime64[s]); `compliance.localtime` reads it too."""
    utc = pd.DatetimeIndex(instants).tz_localize("UTC")
    local = utc.tz_convert(zone).tz_localize(None)
    return ((local - utc.tz_localize(None)) // pd.Timedelta(seconds=1)).to_numpy(dtype=np.int64)


@lru_cache(maxsize=64)
def find_offset_changes(zone: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Every change of the zone's UTC offset over the supported range: (UTC instants, datetime64[s]; offset
    before, offset after, seconds; the offset at the range's start). `compliance.localtime` reads them too.
    """
    steps = np.arange(_FIRST.to_datetime64(), _LAST.to_datetime64(), np.timedelta64(6, "h")).astype("datetime64[s]")
    off = utc_offsets(zone, steps)
    change = np.flatnonzero(off[1:] != off[:-1])
    # Bisect each change to the second: `lo` has the old offset, `hi` the new one.
    lo, hi = steps[change], steps[change + 1]
    old, new = off[change], off[change + 1]
    for _ in range(15):  # 6 h = 21,600 s < 2**15
        mid = lo + (hi - lo) // 2
        same = utc_offsets(zone, mid) == old
        lo, hi = np.where(same, mid, lo), np.where(same, hi, mid)
    return hi, old, new, int(off[0])


@lru_cache(maxsize=64)
def _zone_days(zone: str) -> pd.DataFrame:
    hi, old, new, first_offset = find_offset_changes(zone)
    bad_from = hi + np.minimum(old, new).astype("timedelta64[s]")
    bad_to = hi + np.maximum(old, new).astype("timedelta64[s]")
    days = np.arange(_FIRST.to_datetime64(), _LAST.to_datetime64(), np.timedelta64(1, "D")).astype("datetime64[s]")
    # The offset of a day without a change: that of the last change over before the day starts.
    last = np.searchsorted(bad_to, days, side="right") - 1
    before = np.where(last >= 0, new[np.maximum(last, 0)], first_offset).astype(np.int64)
    after = before.copy()
    start = np.full(len(days), np.datetime64("NaT"), dtype="datetime64[s]")
    end = start.copy()
    for k in range(len(hi)):
        first = np.searchsorted(days, bad_from[k].astype("datetime64[D]").astype("datetime64[s]"))
        stop = np.searchsorted(
            days, (bad_to[k] - np.timedelta64(1, "s")).astype("datetime64[D]").astype("datetime64[s]")
        )
        sl = slice(first, stop + 1)
        before[sl], after[sl], start[sl], end[sl] = old[k], new[k], bad_from[k], bad_to[k]
    return pd.DataFrame(
        {
            "zone": zone,
            "day": days.astype("datetime64[D]").astype("datetime64[s]"),
            "off_before": before,
            "off_after": after,
            "bad_from": start,
            "bad_to": end,
        },
        columns=ZONE_DAY_COLUMNS,
    )


def build_zone_days(zones: Iterable[str]) -> pd.DataFrame:
    """One row per zone and local day from 1899-12-30 to 2201-01-01: offsets (seconds) and the bad local interval."""
    frames = [_zone_days(z) for z in sorted(set(zones))]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(ZONE_DAY_COLUMNS, _DTYPES, strict=True)})
    return pd.concat(frames, ignore_index=True)


_DTYPES = ["str", "datetime64[s]", "int64", "int64", "datetime64[s]", "datetime64[s]"]
