"""The scoring context: validated tables placed on a stores x periods grid, and the as-of time.

Every row gets its store code in the grid and the index of the period its
event time falls in (local time of its store), or -1 when it is outside
the grid or after the as-of time. The grid spans the first period with
data to the last one not after the as-of time. Computed once, vectorised;
the engine and the worked explanations read the same placement.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from servicekb.compliance.context import AsOfError, find_local_as_of, find_store_zones, parse_as_of
from servicekb.compliance.data import Dataset
from servicekb.compliance.periods import NAT, Grid, to_local_ns, to_months, to_periods
from servicekb.datatables import TABLES

__all__ = ["AsOfError", "Context", "Placed", "build_context", "parse_as_of"]


@dataclass
class Placed:
    """One table on the grid: the frame and, per row, its store code (-1: not scored), month code and period index.

    `period` is -1 for rows outside the grid's periods or dated after the
    as-of time; `month` is NAT for rows after the as-of time.
    """

    frame: pd.DataFrame
    store: np.ndarray
    month: np.ndarray
    period: np.ndarray
    cache: dict[str, np.ndarray] = field(default_factory=dict)

    def ns(self, column: str) -> np.ndarray:
        """A timestamp column as int64 UTC ns (NAT where empty), converted once."""
        key = f"utc:{column}"
        if key not in self.cache:
            self.cache[key] = (
                self.frame[column].to_numpy(dtype="datetime64[ns]", na_value=np.datetime64("NaT")).view(np.int64)
            )
        return self.cache[key]

    def codes(self, column: str, values: list[str]) -> np.ndarray:
        """Mask of rows whose value is one of `values` (per category for categoricals)."""
        col = self.frame[column]
        if isinstance(col.dtype, pd.CategoricalDtype):
            # One flag per category (and a last one, False, for missing values), picked by code.
            flags = np.append(pd.Index(col.cat.categories.astype("str")).isin(values), False)
            return flags[col.cat.codes.to_numpy()]
        return col.astype("str").isin(values).to_numpy(dtype=bool)


@dataclass
class Context:
    """Validated tables placed on a grid, with the as-of time of every store (UTC and local ns)."""

    dataset: Dataset
    grid: Grid
    as_of: np.ndarray
    as_of_local: np.ndarray
    tables: dict[str, Placed]
    masks: dict = field(default_factory=dict)
    # (table, target label) -> row positions of events a deadline could not judge (calendar year unknown).
    unjudged: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)

    def table(self, name: str) -> Placed | None:
        """A placed table, or None when the data has no such table."""
        return self.tables.get(name)

    def has_column(self, table: str, column: str) -> bool:
        """Whether the data file of `table` has `column` (optional columns may be absent)."""
        return column in self.dataset.columns.get(table, ())

    def local(self, table: str, column: str) -> np.ndarray:
        """Local wall-clock ns of a timestamp column (computed once)."""
        placed = self.tables[table]
        if column not in placed.cache:
            tz = self.grid.tz_codes[np.maximum(placed.store, 0)]
            placed.cache[column] = to_local_ns(placed.frame[column], tz, list(self.grid.zones))
        return placed.cache[column]


def _end_of_data(dataset: Dataset, stores: pd.Index) -> int:
    latest = NAT
    for name, cols in (("tickets", ("opened_at", "first_response_at", "resolved_at")), ("surveys", ("answered_at",))):
        frame = dataset.tables.get(name)
        if frame is None or frame.empty:
            continue
        mine = _store_codes(frame["store_id"], stores) >= 0
        for c in cols:
            v = frame[c].to_numpy(dtype="datetime64[ns]", na_value=np.datetime64("NaT")).view(np.int64)[mine]
            v = v[v != NAT]
            if len(v):
                latest = max(latest, int(v.max()))
    return latest


def _as_of(
    dataset: Dataset, stores: pd.Index, zones: tuple[str, ...], tz_codes: np.ndarray, as_of: str | None
) -> np.ndarray:
    if as_of is None:
        latest = _end_of_data(dataset, stores)
        return np.full(len(stores), latest, dtype=np.int64)
    kind, value = parse_as_of(as_of)
    if kind == "aware":
        return np.full(len(stores), value.tz_convert("UTC").value, dtype=np.int64)
    # A date or a naive timestamp is read in each store's own timezone.
    out = np.empty(len(stores), dtype=np.int64)
    for code, zone in enumerate(zones):
        out[tz_codes == code] = (
            value.tz_localize(zone, ambiguous=True, nonexistent="shift_forward").tz_convert("UTC").value
        )
    return out


def _months(
    dataset: Dataset,
    name: str,
    frame: pd.DataFrame,
    store: np.ndarray,
    grid_zones: tuple[str, ...],
    tz_codes: np.ndarray,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Month code of every row by its event time, and its local event time (ns) when it has one."""
    column = TABLES[name].event_time
    if name == "store_periods":
        text = frame[column].astype("str")
        months = (text.str.slice(0, 4).astype("int64") - 1970) * 12 + text.str.slice(5, 7).astype("int64") - 1
        return months.to_numpy(dtype=np.int64), None
    if TABLES[name].column(column).type == "date":  # training, audits: a local day already
        local = frame[column].to_numpy(dtype="datetime64[ns]").view(np.int64)
        return to_months(local), local
    local = to_local_ns(frame[column], tz_codes[np.maximum(store, 0)], list(grid_zones))
    return to_months(local), local


def _store_codes(column: pd.Series, stores: pd.Index) -> np.ndarray:
    """Grid code of every row's store (-1 when not scored), looked up once per distinct store."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        per_category = np.append(stores.get_indexer(column.cat.categories.astype("str")), -1)
        return per_category[column.cat.codes.to_numpy()].astype(np.int64)
    return np.asarray(stores.get_indexer(column.astype("str")), dtype=np.int64)


def build_context(
    dataset: Dataset, store_ids: list[str], granularity: str = "month", as_of: str | None = None
) -> Context:
    """Place the dataset's tables on the grid of `store_ids` x periods; `as_of` None means the end of the data."""
    stores = pd.Index(store_ids, name="store_id")
    zones, tz_codes = find_store_zones(dataset.stores, store_ids)
    as_of_utc = _as_of(dataset, stores, zones, tz_codes, as_of)
    as_of_local = find_local_as_of(as_of_utc, zones, tz_codes)
    as_of_month = to_months(as_of_local)
    placed: dict[str, Placed] = {}
    first, last = None, None
    for name, frame in dataset.tables.items():
        store = _store_codes(frame["store_id"], stores)
        months, local = _months(dataset, name, frame, store, zones, tz_codes)
        mine = store >= 0
        # Rows dated after their store's as-of time are not known yet at that time.
        dated = TABLES[name].column(TABLES[name].event_time).type == "date"
        if local is not None and not dated:  # known at the as-of instant, compared in UTC
            utc = frame[TABLES[name].event_time].to_numpy(dtype="datetime64[ns]").view(np.int64)
            mine &= (utc != NAT) & (utc <= as_of_utc[np.maximum(store, 0)])
        else:
            mine &= months <= as_of_month[np.maximum(store, 0)]
        p = Placed(frame, store, np.where(mine, months, NAT), np.empty(0, dtype=np.int64))
        if local is not None and not dated:
            p.cache[TABLES[name].event_time] = local
        placed[name] = p
        if mine.any():
            lo, hi = int(to_periods(months[mine], granularity).min()), int(to_periods(months[mine], granularity).max())
            first, last = (lo, hi) if first is None else (min(first, lo), max(last, hi))
    if first is None:
        first = last = int(to_periods(np.array([as_of_month.max()]), granularity)[0]) if len(stores) else 0
    grid = Grid(stores, zones, tz_codes, granularity, first, last - first + 1)
    for p in placed.values():
        codes = to_periods(p.month, granularity) - first
        p.period = np.where((p.store >= 0) & (p.month != NAT) & (codes >= 0) & (codes < grid.count), codes, -1)
    return Context(dataset, grid, as_of_utc, as_of_local, placed)
