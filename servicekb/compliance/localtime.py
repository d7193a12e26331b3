"""Local wall-clock time on any engine, without a timezone lookup per row, correct across daylight saving.

Each scored store has a zone code. A zone whose UTC offset does not change
over the data's time span has one fixed offset (seconds): the local time
is the UTC time plus that offset. For a zone with daylight saving (or any
other change of offset) over the span, a small table maps (zone, 15-minute
UTC bucket) to the offset in force; every offset change of a real zone
falls on a quarter of an hour, so the bucket of an instant gives its
offset exactly. Both are built here with `zoneinfo` (through pandas) and
joined by equality, which every SQL engine runs well.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from servicekb.compliance.ibisio import frame_table
from servicekb.compliance.zones import utc_offsets

__all__ = ["BUCKET_SECONDS", "ZoneOffsets", "build_zone_offsets"]

BUCKET_SECONDS = 900
_DAY_NS = 86_400 * 10**9


def _bucket_offsets(zone: str, buckets: np.ndarray) -> np.ndarray:
    """UTC offset (seconds) of a zone at the start of each bucket."""
    return utc_offsets(zone, (buckets * BUCKET_SECONDS).astype("datetime64[s]"))


@dataclass
class ZoneOffsets:
    """Fixed offsets by zone code, and the (zone, bucket) -> offset rows of zones whose offset changes."""

    fixed: dict[int, int]
    buckets: pd.DataFrame
    _table: object = field(default=None, repr=False)

    def table(self):
        """The bucket table as an Ibis table (empty when every zone has a fixed offset)."""
        if self._table is None:
            self._table = frame_table(self.buckets)
        return self._table

    def localize(self, q, column: str, out: str):
        """`q` (with `_zone` and `_fixed`) plus column `out`: the local time of timestamp `column`."""
        if self.buckets.empty:
            return q.mutate(**{out: q[column] + q["_fixed"].as_interval("s")})
        tag = f"_b_{out}"
        q = q.mutate(**{tag: (q[column].epoch_seconds() // BUCKET_SECONDS).cast("int64")})
        b = self.table()
        b = b.select(**{f"{tag}_z": b["zone"], f"{tag}_k": b["bucket"], f"{tag}_o": b["offset"]})
        q = q.left_join(b, [q["_zone"] == b[f"{tag}_z"], q[tag] == b[f"{tag}_k"]])
        offset = q[f"{tag}_o"].coalesce(q["_fixed"])
        q = q.mutate(**{out: q[column] + offset.as_interval("s")})
        return q.drop(tag, f"{tag}_z", f"{tag}_k", f"{tag}_o")


def build_zone_offsets(zones: tuple[str, ...], first_ns: int, last_ns: int) -> ZoneOffsets:
    """Offsets of every zone over [first_ns, last_ns] (UTC ns), with two days of margin on each side."""
    lo = (first_ns - 2 * _DAY_NS) // (BUCKET_SECONDS * 10**9)
    hi = (last_ns + 2 * _DAY_NS) // (BUCKET_SECONDS * 10**9)
    buckets = np.arange(lo, hi + 1, dtype=np.int64)
    fixed: dict[int, int] = {}
    parts = []
    for code, zone in enumerate(zones):
        offsets = _bucket_offsets(zone, buckets)
        if (offsets == offsets[0]).all():
            fixed[code] = int(offsets[0])
        else:
            parts.append(pd.DataFrame({"zone": np.int64(code), "bucket": buckets, "offset": offsets}))
    frame = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame({"zone": pd.Series(dtype=np.int64), "bucket": pd.Series(dtype=np.int64), "offset": []})
    )
    frame["offset"] = frame["offset"].astype(np.int64)
    return ZoneOffsets(fixed, frame)
