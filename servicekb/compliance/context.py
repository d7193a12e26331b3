"""The scoring context: which stores, which periods, the as-of time, and every row placed on that grid.

`build_context(relations, store_ids, granularity, as_of)` reads the stores'
timezones, finds the as-of time (the last timestamp of the data unless
given), and an outer grid of periods: from the first to the last period a
row can be placed in, bounded by the first and last event times (no zone
lookup). The scoring passes report the periods they place rows in, and
`settle_grid` narrows the grid to the first period with data to the last
one not after the as-of time. `Context.base(table)` is the one
projection of a table that every metric kind reads: its rows of scored
stores with the store's grid code `_s`, the month `_m` and period index
`_p` of its event time in the store's local time (`compliance.localtime`),
the store's as-of constants, and any local times or working-day calendar
columns the kinds asked for. Only rows inside the grid and not after the
as-of time are kept: a timestamp is compared with the as-of instant in UTC
(a local time the clocks repeat when they fall back is no ambiguity), a
date or a period label with the as-of's local month.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from servicekb.compliance.ibisio import frame_table, run
from servicekb.compliance.localtime import ZoneOffsets, build_zone_offsets
from servicekb.compliance.periods import NAT, Grid, count_months, to_local_ns, to_months, to_periods
from servicekb.compliance.relations import Relations
from servicekb.compliance.workdays import WorkdayTable, build_workday_table
from servicekb.datatables import TABLES

__all__ = [
    "AsOfError",
    "Context",
    "Needs",
    "Span",
    "build_context",
    "find_span",
    "find_local_as_of",
    "find_store_zones",
    "parse_as_of",
    "run",
    "settle_grid",
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
    """What a table's base projection must carry beyond the event time: local times, calendar lookups, due days.

    `rows`: (column, selection filters) pairs: the local time and calendar of a column are needed on the rows of
    these selections only (no filters: every row). Elsewhere they are left empty, and cost no lookup.
    """

    local: frozenset[str] = frozenset()
    calendar: frozenset[str] = frozenset()
    due: frozenset[tuple[str, int]] = frozenset()
    rows: frozenset[tuple[str, tuple]] = frozenset()

    def __or__(self, other: Needs) -> Needs:
        return Needs(
            self.local | other.local, self.calendar | other.calendar, self.due | other.due, self.rows | other.rows
        )

    def where(self, column: str) -> list[tuple]:
        """The selections whose rows need the column's local time (empty: every row does)."""
        wanted = [filters for c, filters in self.rows if c == column]
        return [] if not wanted or any(not f for f in wanted) else sorted(wanted)


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
    # table -> first and last period index of the grid a scoring pass placed rows in (None: no row).
    placed: dict[str, tuple[int, int] | None] = field(default_factory=dict)

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

    def deferred_column(self, table: str, name: str):
        """A column of a table as a deferred expression; a missing optional column reads as its default."""
        import ibis
        from ibis import _

        spec = TABLES[table].column(name)
        if name not in self.relations.table(table).columns:
            return ibis.literal(spec.default, type="string")
        return _[name].fill_null(spec.default) if spec.default is not None else _[name]

    def selects(self, table: str, filters: tuple):
        """A deferred boolean: the row's columns hold one of the allowed values of every (column, values) filter."""
        import ibis

        cond = None
        for column, values in filters:
            spec = TABLES[table].column(column)
            if spec.type == "bool":
                part = self.deferred_column(table, column).isin(list(values))
            else:
                part = self.deferred_column(table, column).cast("string").isin([str(v) for v in values])
            # An empty cell is not selected; a required column has none (validation rejects them).
            if not spec.required or spec.nullable:
                part = part.fill_null(False)
            cond = part if cond is None else cond & part
        return cond if cond is not None else ibis.literal(True)

    def _needed_on(self, table: str, needs: Needs, column: str):
        """A deferred boolean true on the rows that need the column's local time, or None when every row does."""
        wanted = needs.where(column)
        return functools.reduce(operator.or_, (self.selects(table, f) for f in wanted)) if wanted else None

    def base(self, name: str, needs: Needs = Needs(), placed_only: bool = True):
        """The base projection of a table (see the module docstring)."""
        t = self.relations.table(name)
        spec = TABLES[name]
        q = t.inner_join(self.stores_table, "store_id")
        event = spec.event_time
        kind = spec.column(event).type
        if kind == "timestamp":
            # Known at the as-of instant: compared in UTC, before any zone lookup (a local time repeated when
            # the clocks fall back would be ambiguous), so that the rows after it are never localized.
            q = q.filter(q[event] <= q["_as_of"])
            q = self.offsets.localize(q, event, "_ev_local", self.relations.engine)
        else:
            q = q.filter(_month_of(q, event, kind) <= q["_as_of_month"])
        month = _month_of(q, "_ev_local" if kind == "timestamp" else event, kind)
        per = count_months(self.grid.granularity)
        # One projection: the month, the period index, and the event's local time under its column's name.
        more = {"_m": month, "_p": (month // per - self.grid.first).cast("int64")}
        if kind == "timestamp" and event in needs.local | needs.calendar:
            more[f"_local_{event}"] = q["_ev_local"]
        q = q.mutate(**more)
        if placed_only:
            q = q.filter((q["_p"] >= 0) & (q["_p"] < self.grid.count))
        for column in sorted(needs.local | needs.calendar):
            if column != event or kind != "timestamp":
                only = self._needed_on(name, needs, column)
                q = self.offsets.localize(q, column, f"_local_{column}", self.relations.engine, only)
        if needs.calendar:
            if self.workdays is None:
                raise RuntimeError("the working-day calendar was not built")
            for column in sorted(needs.calendar):
                dues = sorted(n for c, n in needs.due if c == column)
                q = self.workdays.look_up(q, f"_local_{column}", column, dues, self._needed_on(name, needs, column))
        return q


def _month_of(q, column: str, kind: str):
    """Months since 1970-01 of a column of `q`: a (local) timestamp, a date or a period label YYYY-MM."""
    if kind == "period":
        text = q[column].cast("string")
        return ((text.substr(0, 4).cast("int64") - 1970) * 12 + text.substr(5, 2).cast("int64") - 1).cast("int64")
    return ((q[column].year() - 1970) * 12 + q[column].month() - 1).cast("int64")


def _timestamp_columns(name: str) -> list[str]:
    return [c.name for c in TABLES[name].columns if c.type == "timestamp"]


@dataclass(frozen=True)
class Span:
    """Per dated table, the first and last value of its event column; the last timestamp of the data (UTC ns).

    `events`: table -> (type of the event column, first, last), timestamps as UTC ns, dates and period labels as
    months since 1970-01. `end`: the latest value of every timestamp column (NAT when there is none).
    """

    events: dict[str, tuple[str, int, int]]
    end: int


def find_span(relations: Relations, store_ids: list[str] | None, every_timestamp: bool) -> Span:
    """The span of the scored stores' data (`store_ids`), or of every store's (None: no join with the scored ids).

    `every_timestamp`: the last value of every timestamp column too (the end of the data), not only of the
    event columns. One aggregate per table.
    """
    ids = None
    if store_ids is not None:
        ids = frame_table(pd.DataFrame({"store_id": pd.Series(list(store_ids), dtype="string")}))
    events: dict[str, tuple[str, int, int]] = {}
    end = NAT
    for name, t in relations.tables.items():
        event = TABLES[name].event_time
        columns = [c for c in ([event] if event else []) if c in t.columns]
        if every_timestamp:
            columns += [c for c in _timestamp_columns(name) if c in t.columns and c not in columns]
        if not columns:
            continue
        # A join with the scored ids, not a literal list of thousands of ids in the query text.
        mine = t.semi_join(ids, "store_id") if ids is not None else t
        kinds = {c: TABLES[name].column(c).type for c in columns}
        # Timestamps as they are (UTC); a date or a period label as its month, as `Context.base` places it.
        values = {c: mine[c] if kinds[c] == "timestamp" else _month_of(mine, c, kinds[c]) for c in columns}
        found = run(
            mine.aggregate(
                **{f"lo_{c}": v.min() for c, v in values.items()}, **{f"hi_{c}": v.max() for c, v in values.items()}
            )
        )
        for c in columns:
            a, b = found[f"lo_{c}"].iloc[0], found[f"hi_{c}"].iloc[0]
            if pd.isna(a):
                continue
            if kinds[c] == "timestamp":
                a, b = pd.Timestamp(a).value, pd.Timestamp(b).value
                end = max(end, b)
            if c == event:
                events[name] = (kinds[c], int(a), int(b))
    return Span(events, end)


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
            "_as_of_month": months.astype(np.int64),
        }
    )


def _outer_periods(span: Span, offsets: ZoneOffsets, granularity: str, last_as_of_month: int) -> tuple[int, int]:
    """First and last period any placed row can have: local months lie within the extreme offsets of UTC ones."""
    firsts, lasts = [], []
    for kind, lo, hi in span.events.values():
        if kind == "timestamp":
            lo, hi = (
                int(to_months(np.array([v + o * 10**9], dtype=np.int64))[0])
                for v, o in ((lo, offsets.lowest), (hi, offsets.highest))
            )
        firsts.append(lo)
        lasts.append(hi)
    if not firsts:
        return 0, -1
    first, last = to_periods(np.array([min(firsts), min(max(lasts), last_as_of_month)]), granularity)
    return int(first), int(last)


def _as_of_period(as_of_local: np.ndarray, granularity: str) -> int:
    """The period of the latest local as-of time (period 0 without stores)."""
    months = int(to_months(as_of_local).max()) if len(as_of_local) else 0
    return int(to_periods(np.array([months]), granularity)[0])


def _placed_periods(ctx: Context, name: str) -> tuple[int, int] | None:
    """First and last period index with placed rows of a table no scoring pass read."""
    q = ctx.base(name)
    found = run(q.aggregate(lo=q["_p"].min(), hi=q["_p"].max()))
    lo = found["lo"].iloc[0]
    return None if pd.isna(lo) else (int(lo), int(found["hi"].iloc[0]))


def settle_grid(ctx: Context) -> np.ndarray | None:
    """Narrow the context's outer grid to the first and last period with placed rows over every dated table.

    The scoring passes report the periods they placed rows in (`Context.placed`); a dated table no pass read
    is asked here. Without any placed row the grid is the as-of period. Returns the cells of the outer grid the
    narrowed one keeps, in its order; None when the narrowed grid lies outside the outer one.
    """
    outer = ctx.grid
    found = []
    for name in ctx.relations.tables:
        if TABLES[name].event_time is None:
            continue
        extent = ctx.placed[name] if name in ctx.placed else _placed_periods(ctx, name)
        if extent is not None:
            found.append(extent)
    if found:
        first = outer.first + min(a for a, _ in found)
        last = outer.first + max(b for _, b in found)
    else:
        first = last = _as_of_period(ctx.as_of_local, outer.granularity)
    ctx.grid = Grid(outer.stores, outer.zones, outer.tz_codes, outer.granularity, first, last - first + 1)
    ctx.placed = {}
    shift = first - outer.first
    if shift < 0 or last > outer.first + outer.count - 1:
        return None
    stores = np.arange(len(outer.stores), dtype=np.int64)[:, None] * outer.count
    return (stores + shift + np.arange(ctx.grid.count, dtype=np.int64)[None, :]).ravel()


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
    """The context of `store_ids` over the relations; `as_of` None means the end of the data.

    Its grid is the outer one: from the first to the last period a placed row can have, found from the first
    and last event times (one aggregate per table, no zone lookup). The scoring passes report the periods they
    placed rows in; `settle_grid` then narrows the grid to those.
    """
    stores = pd.Index(store_ids, name="store_id")
    zones, tz_codes = find_store_zones(relations.stores, store_ids)
    # The end of the data is the scored stores' own; given an as-of time, the first and last event times of
    # every store's data bound the grid just as well (no join with the scored ids).
    if len(store_ids):
        span = find_span(relations, list(store_ids) if as_of is None else None, every_timestamp=as_of is None)
    else:
        span = Span({}, NAT)
    as_of_utc = _as_of(span.end, zones, tz_codes, as_of)
    as_of_local = find_local_as_of(as_of_utc, zones, tz_codes)
    starts = [lo for kind, lo, _ in span.events.values() if kind == "timestamp"]
    given = [int(v) for v in as_of_utc if v != NAT]
    first_ns = min(starts + given, default=0)
    # Local times are read up to the latest as-of time: nothing after it is counted.
    offsets = build_zone_offsets(zones, first_ns, max(given, default=first_ns))
    frame = _stores_frame(store_ids, tz_codes, as_of_utc, as_of_local, offsets)
    last_month = int(to_months(as_of_local).max()) if len(store_ids) else 0
    first, last = _outer_periods(span, offsets, granularity, last_month)
    if first > last:  # no row can be placed: the as-of period
        first = last = _as_of_period(as_of_local, granularity)
    grid = Grid(stores, zones, tz_codes, granularity, first, last - first + 1)
    ctx = Context(relations, grid, as_of_utc, as_of_local, offsets, frame_table(frame))
    if len(store_ids):
        per = count_months(granularity)
        start = np.datetime64(first * per, "M").astype("datetime64[D]").astype(dt.date) - dt.timedelta(days=1)
        end = pd.Timestamp(int(as_of_local.max())).date() + dt.timedelta(days=1)
        ctx.workdays = build_workday_table(start, end)
        ctx.stores_table = frame_table(ctx.workdays.add_store_constants(frame, as_of_local))
    return ctx
