"""Local wall-clock time on any engine, without a timezone lookup per row, correct across daylight saving.

Each scored store has a zone code. A zone whose UTC offset does not change
between the first and the last instant scoring localizes has one fixed
offset (seconds): the local time is the UTC time plus that offset. For a
zone whose offset changes (daylight saving, or a change of standard
time), a small table has one row per UTC day: the offset at the
day's start and, on a day with changes, each change's instant and the
offset after it. A row joins it by equality on (zone, UTC day), which
every SQL engine runs well, and takes the offset of the last change
before its instant. The changes come from `compliance.zones` (zoneinfo,
through pandas), to the second.

On DuckDB the offset is added, and `elapsed_us` takes differences, as
integer epoch microseconds (DuckDB's own functions); any other engine adds
an interval, the portable Ibis way.

Every timestamp scoring localizes is not before its table's event time
(`TableSpec.not_before` makes the other timestamp columns so), so the
table starts at the scored data's first event time: `first_ns`. It ends
at the latest as-of time, `last_ns`: a local time after it is never read
(an answer given after the as-of time counts as none yet), and a zone
whose offset changes only later is fixed over the scored span.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd

from servicekb.compliance.ibisio import frame_table
from servicekb.compliance.zones import find_offset_changes, utc_offsets

__all__ = ["ZoneOffsets", "build_zone_offsets", "elapsed_us"]

_DAY_S = 86_400
# The end of the supported range of timestamps (compliance.parse LATEST) with a day of margin, in epoch days.
_LAST_DAY = int(np.datetime64("2201-01-02", "D").astype(np.int64))


@dataclass
class ZoneOffsets:
    """Fixed offsets by zone code; the (zone, UTC day) rows of the zones whose offset changes; the extremes."""

    fixed: dict[int, int]
    days: pd.DataFrame
    changes: int
    lowest: int = 0
    highest: int = 0
    _table: object = field(default=None, repr=False)

    def table(self):
        """The day table as an Ibis table (empty when every zone has a fixed offset)."""
        if self._table is None:
            self._table = frame_table(self.days)
        return self._table

    def localize(self, q, column: str, out: str, engine: str = "", only=None):
        """`q` (with `_zone` and `_fixed`) plus column `out`: the local time of timestamp `column` on `engine`.

        `only`: a (deferred) boolean; where it does not hold, `out` is left empty and no offset is looked up.
        """
        import ibis

        tag = f"_d_{out}"
        ts = column
        if only is not None:
            ts = f"{tag}_ts"
            q = q.mutate(**{ts: ibis.ifelse(only, q[column], ibis.null(q[column].type()))})
        if self.days.empty:
            return q.mutate(**{out: _shifted(q[ts], q["_fixed"], engine)})
        d = self.table()
        names = ["zone", "day", "offset"] + [f"{p}{k}" for k in range(1, self.changes + 1) for p in ("at", "to")]
        d = d.select(**{f"{tag}_{n}": d[n] for n in names})
        q = q.left_join(d, [q["_zone"] == d[f"{tag}_zone"], q[ts].date() == d[f"{tag}_day"]])
        offset = q[f"{tag}_offset"]
        for k in range(1, self.changes + 1):
            # A missing change compares as NULL: the offset before it stays.
            offset = (q[ts] >= q[f"{tag}_at{k}"]).ifelse(q[f"{tag}_to{k}"], offset)
        # The looked-up columns stay (their names are the output's own): a drop would cost a projection.
        return q.mutate(**{out: _shifted(q[ts], offset.coalesce(q["_fixed"]), engine)})


# Per engine, its functions from a timestamp to epoch microseconds and back: the offset is added as an
# integer, where an interval made per row costs more (DuckDB makes one from a double). Any other engine adds
# an interval of seconds (Spark's unix_micros would need its TIMESTAMP_NTZ columns cast first).
_MICROS = {"duckdb": ("epoch_us", "make_timestamp")}


@cache
def _micros(engine: str):
    import ibis

    to_name, from_name = _MICROS[engine]

    def to_micros(ts):
        """Microseconds since 1970-01-01 00:00 of a timestamp."""

    def from_micros(us):
        """The timestamp of microseconds since 1970-01-01 00:00."""

    return (
        ibis.udf.scalar.builtin(to_micros, name=to_name, signature=(("timestamp",), "int64")),
        ibis.udf.scalar.builtin(from_micros, name=from_name, signature=(("int64",), "timestamp")),
    )


def elapsed_us(start, end, engine: str):
    """Microseconds from timestamp `start` to timestamp `end` on `engine` (an integer expression)."""
    if engine not in _MICROS:
        return end.delta(start, unit="microsecond")
    to_micros, _ = _micros(engine)
    return to_micros(end) - to_micros(start)


def _shifted(ts, seconds, engine: str):
    """Timestamp `ts` plus `seconds` (an integer expression) on `engine`."""
    if engine not in _MICROS:
        return ts + seconds.as_interval("s")
    to_micros, from_micros = _micros(engine)
    return from_micros(to_micros(ts) + seconds * 1_000_000)


def _zone_days(
    changes: np.ndarray, after: np.ndarray, start: int, first_day: int, last_day: int
) -> dict[str, np.ndarray]:
    """Per UTC day from `first_day` to `last_day`: the offset at its start, and its changes (instant, offset
    after) in order."""
    days = np.arange(first_day, last_day + 1, dtype=np.int64)
    at = changes.astype(np.int64)
    # The offset at a day's start: that after the last change before it.
    last = np.searchsorted(at, days * _DAY_S, side="right") - 1
    columns = {"day": days, "offset": np.where(last >= 0, after[np.maximum(last, 0)], start).astype(np.int64)}
    inside = (at >= first_day * _DAY_S) & (at < (last_day + 1) * _DAY_S)
    at, after = at[inside], after[inside]
    row = at // _DAY_S - first_day
    # The k-th change of its day (changes are in time order).
    rank = np.arange(len(row)) - np.searchsorted(row, row, side="left")
    for k in range(int(rank.max()) + 1 if len(rank) else 0):
        pick = rank == k
        instant = np.full(len(days), np.datetime64("NaT"), dtype="datetime64[s]")
        to = np.zeros(len(days), dtype=np.int64)
        instant[row[pick]] = at[pick].astype("datetime64[s]")
        to[row[pick]] = after[pick]
        columns[f"at{k + 1}"] = instant.astype("datetime64[us]")
        columns[f"to{k + 1}"] = pd.array(np.where(np.isnat(instant), pd.NA, to), dtype="Int64")
    return columns


def build_zone_offsets(zones: tuple[str, ...], first_ns: int, last_ns: int) -> ZoneOffsets:
    """Offsets of every zone from `first_ns` to `last_ns` (UTC ns, each with two days of margin)."""
    first_day = int((first_ns // 10**9 - 2 * _DAY_S) // _DAY_S)
    last_day = min(int((last_ns // 10**9 + 2 * _DAY_S) // _DAY_S), _LAST_DAY)
    fixed: dict[int, int] = {}
    parts = []
    extremes = []
    for code, zone in enumerate(zones):
        changes, _, after, _ = find_offset_changes(zone)
        start = int(utc_offsets(zone, np.array([first_day * _DAY_S], dtype="datetime64[s]"))[0])
        at = changes.astype(np.int64)
        later = (at >= first_day * _DAY_S) & (at < (last_day + 1) * _DAY_S)
        extremes += [start, *after[later].tolist()]
        if not later.any():
            fixed[code] = start
            continue
        part = pd.DataFrame(_zone_days(changes, after.astype(np.int64), start, first_day, last_day))
        part.insert(0, "zone", np.int64(code))
        parts.append(part)
    if parts:
        days = pd.concat(parts, ignore_index=True)
        changes = max(int(c[2:]) for c in days.columns if c.startswith("at"))
        for k in range(1, changes + 1):  # a zone with fewer changes a day than another: empty columns
            days[f"at{k}"] = days[f"at{k}"].astype("datetime64[us]")
            days[f"to{k}"] = days[f"to{k}"].astype("Int64")
        days["day"] = days["day"].to_numpy().astype("datetime64[D]").astype("datetime64[s]")
        days["day"] = days["day"].dt.date
    else:
        days, changes = pd.DataFrame({"zone": pd.Series(dtype=np.int64)}), 0
    return ZoneOffsets(fixed, days, changes, min(extremes, default=0), max(extremes, default=0))
