"""The scoring context: which stores, which periods, the as-of time, and every row placed on that grid.

`build_context(relations, store_ids, granularity, as_of)` reads the stores'
timezones, finds the as-of time (the last timestamp of the data unless
given), and the grid of periods from the first period with data to the
last one not after the as-of time. `Context.base(table)` is the one
projection of a table that every metric kind reads: its rows of scored
stores with the store's grid code `_s`, the month `_m` and period index
`_p` of its event time in the store's local time (`compliance.localtime`),
the store's as-of constants, and any local times or working-day calendar
columns the kinds asked for. Only rows inside the grid and not after the
as-of time are kept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from servicekb.compliance.ibisio import frame_table, run
from servicekb.compliance.localtime import ZoneOffsets, build_zone_offsets
from servicekb.compliance.periods import NAT, Grid, to_local_ns, to_months, to_periods
from servicekb.compliance.relations import Relations
from servicekb.compliance.workdays import WorkdayTable, build_workday_table
from servicekb.datatables import TABLES

__all__ = [
    "AsOfError",
    "Context",
    "Needs",
    "build_context",
    "find_local_as_of",
    "find_store_zones",
    "parse_as_of",
    "run",
]


class AsOfError(ValueError):
    """An --as-of value that is not a date or timestamp."""


def parse_as_of(text: str) -> tuple[str, pd.Timestamp]:
    """(`date`, `naive` or `aware`, the parsed value) of an --as-of text; a date means the end of that day."""
    t = text.strip()
    try:
        if len(t) == 10:
            return "date", pd.Timestamp(t) + pd.Timedelta(days=1) - pd.Timedelta(1, "ns")
        value = pd.Timestamp(t)
    except ValueError as exc:
        raise AsOfError(f"--as-of {text!r} is not a date (YYYY-MM-DD) or an ISO 8601 timestamp") from exc
    return ("aware" if value.tzinfo is not None else "naive"), value


@dataclass(frozen=True)
class Needs:
    """What a table's base projection must carry beyond the event time: local times, calendar lookups, due days."""

    local: frozenset[str] = frozenset()
    calendar: frozenset[str] = frozenset()
    due: frozenset[tuple[str, int]] = frozenset()

    def __or__(self, other: Needs) -> Needs:
        return Needs(self.local | other.local, self.calendar | other.calendar, self.due | other.due)


@dataclass
class Context:
    """The relations, the grid of stores x periods, and the as-of time of every store (UTC and local ns)."""

    relations: Relations
    grid: Grid
    as_of: np.ndarray
    as_of_local: np.ndarray
    offsets: ZoneOffsets
    stores_table: object
    workdays: WorkdayTable | None = None
    # (table, target label) -> the events (id and `_row`) a deadline could not judge (calendar year unknown).
    unjudged: dict[tuple[str, str], pd.DataFrame] = field(default_factory=dict)

    @property
    def dataset(self) -> Relations:
        """The scored data (its store map, files and lines)."""
        return self.relations

    def table(self, name: str):
        """The Ibis table of `name`, or None when the data has no such table."""
        return self.relations.table(name)

    def has_column(self, table: str, column: str) -> bool:
        """Whether the data of `table` has `column` (optional columns may be absent)."""
        return self.relations.has_column(table, column)

    def column(self, t, table: str, name: str):
        """A column of an Ibis table; a missing optional column with a default reads as that default."""
        import ibis

        spec = TABLES[table].column(name)
        if name in t.columns:
            return t[name].fill_null(spec.default) if spec is not None and spec.default is not None else t[name]
        return ibis.literal(spec.default, type="string")

    def base(self, name: str, needs: Needs = Needs(), placed_only: bool = True):
        """The base projection of a table (see the module docstring)."""
        t = self.relations.table(name)
        spec = TABLES[name]
        q = t.inner_join(self.stores_table, "store_id")
        event = spec.event_time
        kind = spec.column(event).type
        if kind == "timestamp":
            q = self.offsets.localize(q, event, "_ev_local")
            month = (q["_ev_local"].year() - 1970) * 12 + q["_ev_local"].month() - 1
            keep = q["_ev_local"] <= q["_as_of_local"]
        elif kind == "date":
            month = (q[event].year() - 1970) * 12 + q[event].month() - 1
            keep = None
        else:  # a period label YYYY-MM
            text = q[event].cast("string")
            month = (text.substr(0, 4).cast("int64") - 1970) * 12 + text.substr(5, 2).cast("int64") - 1
            keep = None
        q = q.mutate(_m=month.cast("int64"))
        q = q.filter(keep if keep is not None else q["_m"] <= q["_as_of_month"])
        per = 3 if self.grid.granularity == "quarter" else 1
        q = q.mutate(_p=(q["_m"] // per - self.grid.first).cast("int64"))
        if placed_only:
            q = q.filter((q["_p"] >= 0) & (q["_p"] < self.grid.count))
        for column in sorted(needs.local | needs.calendar):
            if column != event or kind != "timestamp":
                q = self.offsets.localize(q, column, f"_local_{column}")
            else:
                q = q.mutate(**{f"_local_{column}": q["_ev_local"]})
        if needs.calendar:
            if self.workdays is None:
                raise RuntimeError("the working-day calendar was not built")
            for column in sorted(needs.calendar):
                dues = sorted(n for c, n in needs.due if c == column)
                q = self.workdays.look_up(q, f"_local_{column}", column, dues)
        return q


def _timestamp_columns(name: str) -> list[str]:
    return [c.name for c in TABLES[name].columns if c.type == "timestamp"]


def _data_span(relations: Relations, store_ids: list[str] | None) -> tuple[int, int]:
    """Earliest and latest timestamp (UTC ns, NAT when none) of the scored stores' data.

    `store_ids` None: of every store's data (a wider span, found without joining the scored ids).
    """
    lo, hi = NAT, NAT
    ids = None
    if store_ids is not None:
        ids = frame_table(pd.DataFrame({"store_id": pd.Series(list(store_ids), dtype="string")}))
    for name, t in relations.tables.items():
        columns = [c for c in _timestamp_columns(name) if c in t.columns]
        if not columns:
            continue
        # A join with the scored ids, not a literal list of thousands of ids in the query text.
        mine = t.semi_join(ids, "store_id") if ids is not None else t
        found = run(
            mine.aggregate(**{f"lo_{c}": mine[c].min() for c in columns}, **{f"hi_{c}": mine[c].max() for c in columns})
        )
        for c in columns:
            a, b = found[f"lo_{c}"].iloc[0], found[f"hi_{c}"].iloc[0]
            if not pd.isna(a):
                a, b = pd.Timestamp(a).value, pd.Timestamp(b).value
                lo = a if lo == NAT else min(lo, a)
                hi = max(hi, b)
    return lo, hi


def _as_of(end_of_data: int, zones: tuple[str, ...], tz_codes: np.ndarray, as_of: str | None) -> np.ndarray:
    n = len(tz_codes)
    if as_of is None:
        return np.full(n, end_of_data, dtype=np.int64)
    kind, value = parse_as_of(as_of)
    if kind == "aware":
        return np.full(n, value.tz_convert("UTC").value, dtype=np.int64)
    # A date or a naive timestamp is read in each store's own timezone.
    out = np.empty(n, dtype=np.int64)
    for code, zone in enumerate(zones):
        out[tz_codes == code] = (
            value.tz_localize(zone, ambiguous=True, nonexistent="shift_forward").tz_convert("UTC").value
        )
    return out


def _stores_frame(store_ids, tz_codes, as_of_utc, as_of_local, offsets: ZoneOffsets) -> pd.DataFrame:
    months = to_months(as_of_local)
    return pd.DataFrame(
        {
            "store_id": pd.Series(list(store_ids), dtype="string"),
            "_s": np.arange(len(store_ids), dtype=np.int64),
            "_zone": tz_codes.astype(np.int64),
            "_fixed": pd.array([offsets.fixed.get(int(c)) for c in tz_codes], dtype="Int64"),
            "_as_of": pd.Series(as_of_utc.view("datetime64[ns]")).dt.floor("us").astype("datetime64[us]"),
            "_as_of_local": pd.Series(as_of_local.view("datetime64[ns]")).dt.floor("us").astype("datetime64[us]"),
            "_as_of_month": months.astype(np.int64),
        }
    )


def _extents(ctx: Context) -> tuple[int, int] | None:
    """First and last period code with placed rows over every dated table."""
    first, last = None, None
    for name in ctx.relations.tables:
        if TABLES[name].event_time is None:
            continue
        q = ctx.base(name, placed_only=False)
        found = run(q.aggregate(lo=q["_m"].min(), hi=q["_m"].max()))
        lo, hi = found["lo"].iloc[0], found["hi"].iloc[0]
        if pd.isna(lo):
            continue
        lo, hi = (
            int(to_periods(np.array([int(lo)]), ctx.grid.granularity)[0]),
            int(to_periods(np.array([int(hi)]), ctx.grid.granularity)[0]),
        )
        first, last = (lo, hi) if first is None else (min(first, lo), max(last, hi))
    return None if first is None else (first, last)


def find_store_zones(stores: pd.DataFrame, store_ids: list[str]) -> tuple[tuple[str, ...], np.ndarray]:
    """The distinct timezones of the scored stores (sorted) and each store's code into them."""
    info = stores.set_index("store_id").loc[store_ids]
    zones = tuple(sorted(set(info["timezone"])))
    return zones, np.array([zones.index(z) for z in info["timezone"]], dtype=np.int64)


def find_local_as_of(as_of_utc: np.ndarray, zones: tuple[str, ...], tz_codes: np.ndarray) -> np.ndarray:
    """Every store's as-of time on its local wall clock (int64 ns)."""
    as_of_local = np.empty(len(tz_codes), dtype=np.int64)
    for code, zone in enumerate(zones):
        m = tz_codes == code
        if m.any():
            as_of_local[m] = to_local_ns(
                pd.Series(as_of_utc[m].view("datetime64[ns]")).dt.tz_localize("UTC"),
                np.zeros(int(m.sum()), dtype=np.int64),
                [zone],
            )
    return as_of_local


def build_context(
    relations: Relations, store_ids: list[str], granularity: str = "month", as_of: str | None = None
) -> Context:
    """The grid of `store_ids` x periods over the relations; `as_of` None means the end of the data."""
    stores = pd.Index(store_ids, name="store_id")
    zones, tz_codes = find_store_zones(relations.stores, store_ids)
    # The end of the data is the scored stores' own; given an as-of time, the span only bounds the zone
    # offsets the engine looks up, and every store's data bound it as well (no join with the scored ids).
    lo, hi = _data_span(relations, list(store_ids) if as_of is None else None) if len(store_ids) else (NAT, NAT)
    as_of_utc = _as_of(hi, zones, tz_codes, as_of)
    as_of_local = find_local_as_of(as_of_utc, zones, tz_codes)
    span = [v for v in (lo, hi, *as_of_utc.tolist()) if v != NAT]
    offsets = build_zone_offsets(zones, min(span) if span else 0, max(span) if span else 0)
    frame = _stores_frame(store_ids, tz_codes, as_of_utc, as_of_local, offsets)
    stores_table = frame_table(frame)
    provisional = Grid(stores, zones, tz_codes, granularity, 0, 0)
    ctx = Context(relations, provisional, as_of_utc, as_of_local, offsets, stores_table)
    found = _extents(ctx) if len(store_ids) else None
    if found is None:
        first = last = int(to_periods(np.array([to_months(as_of_local).max()]), granularity)[0]) if len(stores) else 0
    else:
        first, last = found
    ctx.grid = Grid(stores, zones, tz_codes, granularity, first, last - first + 1)
    if len(store_ids):
        per = 3 if granularity == "quarter" else 1
        start = np.datetime64(first * per, "M").astype("datetime64[D]").astype(dt.date) - dt.timedelta(days=1)
        end = pd.Timestamp(int(as_of_local.max())).date() + dt.timedelta(days=1)
        ctx.workdays = build_workday_table(start, end)
        ctx.stores_table = frame_table(ctx.workdays.add_store_constants(frame, as_of_local))
    return ctx
