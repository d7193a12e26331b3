"""The hand-written one-pass DuckDB baseline of the scoring benchmark, and the check that it agrees with servicekb.

`run_baseline(folder, zones, as_of)` builds the three small tables of
`bench/baseline.sql` (stores with their zone and as-of instant, UTC offsets
per zone and UTC hour, the PRC working-day calendar), then runs the SQL
straight on the folder's Parquet files: one row per store and month, one
struct column per target. `compare(card, frame)` lines the baseline's
figures up with a servicekb scorecard cell by cell.

Run alone: python bench/baseline.py DATA_DIR [--kb KB_DIR] [--as-of 2026-12-31T23:59:59]
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
SQL = HERE / "baseline.sql"
MEASURES = ("value", "n", "ci_low", "ci_high", "breaches", "pending", "worst_delay")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_DAY_US = 86_400 * 10**6


def _statements(text: str) -> list[str]:
    """The statements of a SQL script (each ends with `;` at the end of a line; comments dropped)."""
    out, current = [], []
    for line in text.splitlines():
        if line.lstrip().startswith("--"):
            continue
        current.append(line)
        if line.rstrip().endswith(";"):
            out.append("\n".join(current).strip().rstrip(";"))
            current = []
    if "".join(current).strip():
        out.append("\n".join(current).strip())
    return out


def _calendar(first_year: int | None = None) -> pd.DataFrame:
    """Every day from `first_year` (default: the first chinese-calendar knows) to the end of its last known year.

    Per day: its month, the running count of working days, the day ending the 3rd working day after it.
    """
    import chinese_calendar

    from servicekb.compliance.deadlines import get_known_years

    lo, hi = get_known_years()
    first, last = dt.date(max(lo, first_year or lo), 1, 1), dt.date(hi, 12, 31)
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    work = np.fromiter((chinese_calendar.is_workday(d) for d in days), dtype=bool, count=len(days))
    cum = np.cumsum(work, dtype=np.int64)
    d0 = (first - _EPOCH.date()).days
    # The day whose running count first reaches cum + 3: the 3rd working day after (a working day itself).
    idx = np.searchsorted(cum, cum + 3, side="left")
    due = np.where(idx < len(cum), idx + d0, -1)
    months = np.array([(d.year - 1970) * 12 + d.month - 1 for d in days], dtype=np.int64)
    frame = pd.DataFrame({"d": np.arange(d0, d0 + len(days)), "month": months, "cum": cum, "due_3wd": due})
    frame["due_3wd"] = frame["due_3wd"].astype("Int64").where(frame["due_3wd"] >= 0)
    return frame


def _offsets(zones: list[str], first: dt.date, last: dt.date) -> pd.DataFrame:
    """UTC offset (µs) of each zone on every UTC day from `first` to `last`: at the day's start, and from `switch_us`.

    `switch_us` is the UTC instant (epoch µs) the offset changes that day (a daylight-saving change), or the
    next day's start when it does not change; at most one change a day (checked here).
    """
    days = np.arange((first - _EPOCH.date()).days, (last - _EPOCH.date()).days + 1, dtype=np.int64)
    frames = []
    for code, name in enumerate(zones):
        zone = ZoneInfo(name)

        def offset(instants: np.ndarray, zone_name: str = name) -> np.ndarray:
            utc = pd.DatetimeIndex(instants * 1000, tz="UTC")
            return (utc.tz_convert(zone_name).tz_localize(None).asi8 - utc.asi8) // 1000

        start = days * _DAY_US
        at_start, at_end = offset(start), offset(start + _DAY_US - 1)
        switch = start + _DAY_US
        for i in np.flatnonzero(at_start != at_end):
            # The first microsecond of the day with the new offset (bisection over the day).
            lo, hi = int(start[i]), int(start[i] + _DAY_US - 1)
            while hi - lo > 1:
                mid = (lo + hi) // 2
                lo, hi = (mid, hi) if offset(np.array([mid]))[0] == at_start[i] else (lo, mid)
            if offset(np.array([hi, int(start[i]) + _DAY_US - 1])).tolist() != [at_end[i], at_end[i]]:
                raise ValueError(f"{zone}: two offset changes on one UTC day; the offsets table needs finer rows")
            switch[i] = hi
        frames.append(pd.DataFrame({"zone": code, "day": days, "off_us": at_start, "switch_us": switch,
                                    "off_after_us": at_end}))  # fmt: skip
    return pd.concat(frames, ignore_index=True)


def _stores(zone_of: dict[str, str], as_of: str, cal: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Scored stores with their zone code and as-of instant (a naive as-of is read in each store's zone)."""
    zones = sorted(set(zone_of.values()))
    naive = dt.datetime.fromisoformat(as_of)
    rows = []
    for store, zone in sorted(zone_of.items()):
        local = naive if naive.tzinfo is None else naive.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
        aware = local.replace(tzinfo=ZoneInfo(zone)) if naive.tzinfo is None else naive
        us = int((aware.astimezone(dt.UTC) - _EPOCH) / dt.timedelta(microseconds=1))
        day = (local.date() - _EPOCH.date()).days
        rows.append((store, zones.index(zone), us, day, (local.year - 1970) * 12 + local.month - 1))
    frame = pd.DataFrame(rows, columns=["store_id", "zone", "as_of_us", "as_of_day", "as_of_month"])
    cum = cal.set_index("d")["cum"]
    if not frame["as_of_day"].isin(cum.index).all():
        raise ValueError(f"as-of {as_of} lies outside the years chinese-calendar knows")
    frame["as_of_cum"] = cum.reindex(frame["as_of_day"]).to_numpy()
    return frame, zones


@dataclass
class BaselineRun:
    """The baseline's result (one row per store and month, one struct column per target) and its wall time."""

    frame: pd.DataFrame
    seconds: float


def run_baseline(
    folder: Path, zone_of: dict[str, str], as_of: str, first_year: int | None = None, threads: int | None = None
) -> BaselineRun:
    """Run bench/baseline.sql on the Parquet files of `folder` for the stores of `zone_of` (store id -> timezone).

    `first_year`: the calendar starts on 1 January of it (the data must not start earlier; the check of
    agreement with servicekb shows it). The timed region holds everything: the small tables and the query,
    which reads the files itself.
    """
    import duckdb

    t0 = time.perf_counter()
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    con.execute("SET TimeZone = 'UTC'")
    cal = _calendar(first_year)
    stores, zones = _stores(zone_of, as_of, cal)
    first = _EPOCH.date() + dt.timedelta(days=int(cal["d"].min()) - 1)
    offsets = _offsets(zones, first, _EPOCH.date() + dt.timedelta(days=int(cal["d"].max()) + 1))
    for name, frame in (("cal", cal), ("stores", stores), ("offsets", offsets)):
        con.register(f"{name}_frame", frame)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_frame")
    text = SQL.read_text(encoding="utf-8").replace("{data}", folder.as_posix().replace("'", "''"))
    *setup, query = _statements(text)
    for statement in setup:
        con.execute(statement)
    frame = con.execute(query).df()
    con.close()
    return BaselineRun(frame, time.perf_counter() - t0)


def target_key(target) -> str:
    """The baseline column of a scored target: metric, its population's own filters and, for deadlines, the rule."""
    from servicekb.compliance.definitions import select_rows
    from servicekb.models import MetricKind

    d = target.metric.definition
    sel = select_rows(d, target.population)
    if isinstance(sel, str):
        return ""
    own = [f"{c}={'+'.join(str(v) for v in values)}" for c, values in sel.filters if c not in d.filters]
    rule = [target.spec.describe()] if d.kind is MetricKind.deadline else []
    return " ".join([target.metric.id, *own, *rule])


def _label(month: int) -> str:
    return f"{1970 + month // 12:04d}-{month % 12 + 1:02d}"


@dataclass
class Agreement:
    """Scorecard rows compared with the baseline, those agreeing on every measure, and the first disagreements."""

    rows: int
    agreeing: int
    values: int
    values_agreeing: int
    missing_targets: list[str]
    examples: list[str]

    @property
    def ok(self) -> bool:
        """Every compared row agrees and no scored target lacks a baseline column."""
        return self.rows > 0 and self.agreeing == self.rows and not self.missing_targets


def compare(frame: pd.DataFrame, baseline: pd.DataFrame, keys: dict[int, str]) -> Agreement:
    """Compare a scorecard frame (store_id, period, spec_id and the measures) with the baseline cell by cell.

    `keys` maps a spec id to its baseline column (`target_key`). Rows of targets the data cannot measure (the
    benchmark has no audits) are left out: servicekb gives them no figure and the baseline has no column.
    """
    base = baseline.assign(period=baseline["month"].astype("int64").map(_label))
    missing, parts = [], []
    for spec_id, key in sorted(keys.items()):
        rows = frame[frame["spec_id"] == spec_id]
        if rows.empty:
            continue
        if key not in base.columns:
            if rows["status"].ne("not-computable").any() and rows["n"].fillna(0).gt(0).any():
                missing.append(key)
            continue
        cells = pd.json_normalize(base[key].tolist()).set_index(base.index) if len(base) else pd.DataFrame()
        cells = cells.reindex(columns=list(MEASURES))
        cells[["store_id", "period"]] = base[["store_id", "period"]]
        merged = rows.merge(cells, on=["store_id", "period"], how="left", suffixes=("", "_b"))
        merged["_key"] = key
        parts.append(merged)
    if not parts:
        return Agreement(0, 0, 0, 0, missing, [])
    merged = pd.concat(parts, ignore_index=True)
    good = np.ones(len(merged), dtype=bool)
    values = agreeing_values = 0
    examples: list[str] = []
    # A cell without rows: the baseline has no row there, servicekb counts 0 (and nothing else).
    absent = merged["n_b"].isna().to_numpy()
    for col in MEASURES:
        a = merged[col].to_numpy(dtype=np.float64)
        b = pd.to_numeric(merged[f"{col}_b"], errors="coerce").to_numpy(dtype=np.float64)
        if col in ("n", "breaches", "pending"):
            b = np.where(absent & ~np.isnan(a), 0.0, b)
        same = np.isclose(a, b, rtol=1e-9, atol=1e-9, equal_nan=True)
        values += len(a)
        agreeing_values += int(same.sum())
        for i in np.flatnonzero(~same)[: max(0, 5 - len(examples))]:
            r = merged.iloc[i]
            examples.append(f"{r['_key']} {r['store_id']} {r['period']}: {col} servicekb {a[i]!r} baseline {b[i]!r}")
        good &= same
    return Agreement(len(merged), int(good.sum()), values, agreeing_values, missing, examples)


def main() -> None:
    import argparse
    import sys

    sys.path.insert(0, str(HERE.parent))
    parser = argparse.ArgumentParser(description="Run the hand-written DuckDB baseline on a benchmark data folder.")
    parser.add_argument("data", type=Path)
    parser.add_argument("--kb", type=Path, default=Path("/work/data/bench/kb"))
    parser.add_argument("--as-of", default="2026-12-31T23:59:59")
    parser.add_argument("--first-year", type=int, default=None, help="first year of the data (calendar start)")
    args = parser.parse_args()
    zone_of = load_zones(args.kb, args.data)
    run = run_baseline(args.data, zone_of, args.as_of, args.first_year)
    print(f"baseline: {run.seconds:.2f} s, {len(run.frame):,} store-months, {run.frame.shape[1] - 2} targets")


def load_zones(kb: Path, data: Path) -> dict[str, str]:
    """Store id -> timezone of every store in the data's stores table, from the profiles of the knowledge base."""
    import pyarrow.parquet as pq

    from servicekb.compliance.targets import find_profile_timezones
    from servicekb.loader import load_corpus

    corpus = load_corpus(kb, check=False).corpus
    zones, _, _ = find_profile_timezones(corpus, dt.date.today())
    stores = pq.read_table(data / "stores.parquet").to_pandas()
    return {s: zones[p] for s, p in zip(stores["store_id"], stores["profile"], strict=True) if p in zones}


if __name__ == "__main__":
    main()
