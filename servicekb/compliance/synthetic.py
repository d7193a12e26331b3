"""A realistic, deterministic synthetic dataset for the handbook, the tests and the benchmarks.

Same arguments, same bytes. Stores get a size and a quality; about one in
eight is a bad store (slow answers, unhappy customers, high shrinkage,
skipped trainings). Volumes follow retail seasonality (Spring Festival,
May Day, National Day, Double 11 and the year end). Back-office events
opened on a non-working day (weekend or PRC holiday) wait for the next
working day. Events whose answer would come after the end of the data stay
open. Everything is drawn with numpy in whole arrays, so ten million
tickets take seconds.

Which tables and columns there are, in which order, which ids are made
unique per store and how rows are sorted come from the table declarations
(`servicekb.datatables.TABLES`): a column declared optional and not drawn here
is written empty.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from servicekb.compliance.periods import DAY_NS
from servicekb.datatables import TABLES

__all__ = [
    "SAMPLE_MARKER",
    "SampleStore",
    "generate_sample",
    "make_claimed_stores",
    "make_sample_stores",
    "write_sample",
]

# Written next to the tables: marks a folder as synthetic, so that commands may replace it (never real data).
SAMPLE_MARKER = ".servicekb-sample"

_SEASON = np.array([1.25, 0.85, 0.95, 0.95, 1.05, 0.95, 0.9, 0.9, 0.95, 1.1, 1.35, 1.3])
# The values of the tickets table's enum columns, in the order its spec declares them; every share and median
# below names its value, so a value added to the spec without one here fails at import, never silently.
_KINDS = np.array(TABLES["tickets"].column("kind").values)
_K = {kind: code for code, kind in enumerate(_KINDS)}
_CHANNELS = np.array(TABLES["tickets"].column("channel").values)
_SEVERITIES = list(TABLES["tickets"].column("severity").values)


def _per(values: np.ndarray, by_value: dict[str, float]) -> np.ndarray:
    """`by_value` as an array in the order of `values` (KeyError when a value has none)."""
    return np.array([by_value[v] for v in values])


_KIND_P = _per(
    _KINDS, {"consultation": 0.45, "complaint": 0.12, "feedback": 0.13, "repair": 0.15, "return_exchange": 0.15}
)
_CHANNEL_P = {
    "store": _per(_CHANNELS, {"in_store": 0.5, "phone": 0.2, "online": 0.1, "app": 0.12, "social": 0.08}),
    "online": _per(_CHANNELS, {"in_store": 0.0, "phone": 0.15, "online": 0.45, "app": 0.3, "social": 0.1}),
}
# Median hours to first response and from response to resolution, per kind.
_RESPONSE_H = _per(
    _KINDS, {"consultation": 0.004, "complaint": 1.5, "feedback": 4.0, "repair": 5.0, "return_exchange": 1.5}
)
_RESOLVE_H = _per(
    _KINDS, {"consultation": 0.1, "complaint": 6.0, "feedback": 20.0, "repair": 20.0, "return_exchange": 5.0}
)
_CATEGORIES = {
    "consultation": (
        ["product-info", "sizing", "stock", "vip-fitting-appointment", "other"],
        [0.35, 0.3, 0.2, 0.05, 0.1],
    ),
    "complaint": (["service", "quality", "delivery"], [0.4, 0.4, 0.2]),
    "repair": (["installation", "appliance", "furniture"], [0.3, 0.4, 0.3]),
}
_TOPICS = np.array(["overall", "display", "service"])
_HOUR_NS = 3600 * 10**9
# How rows of an event table that share their event time are ordered (after the store's own draw order).
_TIES = {"training": ("store_id", "employee_id")}


@dataclass(frozen=True)
class SampleStore:
    """A generated store: id, the profile it is scored against, its timezone and whether it is online."""

    store_id: str
    profile: str
    timezone: str
    online: bool


def make_sample_stores(
    n: int, profiles: list[tuple[str, str, bool]], claims: dict[str, str] | None = None
) -> list[SampleStore]:
    """`n` stores `s001`...: a store id a profile claims (`data_store_ids`) goes to that profile, the others
    round-robin.

    The assignment is written to the `stores` table, so scoring never
    depends on the order; `claims` maps data store id -> profile id.
    """
    width = max(3, len(str(n)))
    info = {p: (p, tz, online) for p, tz, online in profiles}
    out, k = [], 0
    for i in range(n):
        sid = f"s{i + 1:0{width}d}"
        owner = (claims or {}).get(sid)
        if owner in info:
            out.append(SampleStore(sid, *info[owner]))
        else:
            out.append(SampleStore(sid, *profiles[k % len(profiles)]))
            k += 1
    return out


def make_claimed_stores(profiles: list[tuple[str, str, bool]], claims: dict[str, str]) -> list[SampleStore]:
    """One sample store per data store id a profile claims, in id order."""
    info = {p: (p, tz, online) for p, tz, online in profiles}
    return [SampleStore(sid, *info[pid]) for sid, pid in sorted(claims.items()) if pid in info]


def _holidays(first_day: int, last_day: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Per day from first_day: statutory PRC holiday (shops open, back office closed), and non-working day."""
    import chinese_calendar

    days = [dt.date(1970, 1, 1) + dt.timedelta(days=int(d)) for d in range(first_day, last_day + 1)]
    holiday = np.zeros(len(days), dtype=bool)
    off = np.array([d.weekday() >= 5 for d in days])
    for i, d in enumerate(days):
        try:
            is_off, name = chinese_calendar.get_holiday_detail(d)
        except NotImplementedError:
            continue  # beyond the calendar's years: weekends only
        off[i], holiday[i] = is_off, is_off and name is not None
    return holiday, off, first_day


def _local_month_starts(start: str, months: int) -> np.ndarray:
    first = np.datetime64(start, "M")
    return (first + np.arange(months + 1)).astype("datetime64[D]").astype("datetime64[ns]").view(np.int64)


def _utc(local: np.ndarray, zone_codes: np.ndarray, zones: list[str]) -> pd.Series:
    """Local wall-clock ns -> UTC timestamps to the whole second, row i in `zones[zone_codes[i]]`.

    NAT stays missing.
    """
    whole = np.where(local == np.iinfo(np.int64).min, local, local // 10**9 * 10**9)
    if len(zones) == 1:
        naive = pd.DatetimeIndex(whole.view("datetime64[ns]"))
        return pd.Series(naive.tz_localize(zones[0], nonexistent="shift_forward", ambiguous=True).tz_convert("UTC"))
    out = pd.Series(pd.NaT, index=range(len(local)), dtype="datetime64[ns, UTC]")
    naive = pd.Series(whole.view("datetime64[ns]"))
    for code, zone in enumerate(zones):
        m = zone_codes == code
        out[m] = naive[m].dt.tz_localize(zone, nonexistent="shift_forward", ambiguous=True).dt.tz_convert("UTC")
    return out


def generate_sample(
    stores: list[SampleStore],
    months: int = 12,
    seed: int = 0,
    start: str = "2026-01",
    tickets_per_store_month: float = 120.0,
    surveys_per_store_month: float = 120.0,
    independent: bool = False,
) -> dict[str, pd.DataFrame]:
    """The five tables (tickets, surveys, store_periods, training, stores) with UTC timestamps.

    With `independent`, each store is drawn from its own random stream
    (seeded by `seed` and its id), so adding or removing a store changes no
    other store's rows; about one store in eight is a bad one. Otherwise one
    stream draws every store at once (fastest; exactly `n // 8` bad stores).
    """
    if independent and stores:
        parts = []
        for store in stores:
            rng = np.random.default_rng([seed, zlib.crc32(store.store_id.encode("utf-8"))])
            bad = np.array([rng.random() < 0.125])
            parts.append(_draw([store], bad, rng, months, start, tickets_per_store_month, surveys_per_store_month))
        return _concat(parts, [s.store_id for s in stores])
    rng = np.random.default_rng(seed)
    n = len(stores)
    bad = np.zeros(n, dtype=bool)
    bad[rng.choice(n, size=max(1, n // 8), replace=False)] = True
    return _draw(stores, bad, rng, months, start, tickets_per_store_month, surveys_per_store_month)


def _row_order(name: str) -> list[str] | None:
    """What an event table's rows are sorted by: its event time, then its ties.

    None for a table not dated by a timestamp or a day (one row per store and month stays in store order).
    """
    spec = TABLES[name]
    when = spec.column(spec.event_time) if spec.event_time else None
    return [when.name, *_TIES.get(name, ())] if when is not None and when.type in ("timestamp", "date") else None


def _unique_ids(name: str) -> list[str]:
    """The unique id columns of an event table (a store's draw numbers them from 1); none for other tables."""
    spec = TABLES[name]
    return [c.name for c in spec.columns if c.type == "id" and c.unique] if spec.event_time else []


def _table(name: str, columns: dict[str, object]) -> pd.DataFrame:
    """A drawn table with the columns its spec declares, in that order; an optional column not drawn stays empty."""
    spec = TABLES[name]
    missing = [c.name for c in spec.columns if c.name not in columns and c.required]
    unknown = [c for c in columns if spec.column(c) is None]
    if missing or unknown:
        raise ValueError(f"the sample's {name} table does not match its spec: missing {missing}, unknown {unknown}")
    size = len(next(iter(columns.values()))) if columns else 0
    return pd.DataFrame(
        {c: columns[c] if c in columns else pd.Series([pd.NA] * size, dtype=object) for c in spec.names}
    )


def _concat(parts: list[dict[str, pd.DataFrame]], ids: list[str]) -> dict[str, pd.DataFrame]:
    """One dataset of stores drawn apart: ids made unique per store, rows in time order."""
    out = {}
    for name, first in parts[0].items():
        frames = []
        for store, part in zip(ids, parts, strict=False):
            frame = part[name].copy()
            for key in _unique_ids(name):
                frame[key] = store + "-" + frame[key].astype("str")
            frame["store_id"] = frame["store_id"].astype("str")
            frames.append(frame)
        joined = pd.concat(frames, ignore_index=True)
        for col in first.columns:
            if isinstance(first[col].dtype, pd.CategoricalDtype):
                joined[col] = joined[col].astype("category")
        order = _row_order(name)
        if order is not None:
            joined = joined.sort_values(order, kind="stable").reset_index(drop=True)
        out[name] = joined
    return out


def _draw(
    stores: list[SampleStore],
    bad: np.ndarray,
    rng: np.random.Generator,
    months: int,
    start: str,
    tickets_per_store_month: float,
    surveys_per_store_month: float,
) -> dict[str, pd.DataFrame]:
    n = len(stores)
    ids = np.array([s.store_id for s in stores])
    zone_names = sorted({s.timezone for s in stores})
    zones = np.array([zone_names.index(s.timezone) for s in stores], dtype=np.int64)
    online = np.array([s.online for s in stores])
    size = rng.lognormal(0.0, 0.35, n)
    slow = np.where(bad, 3.0, rng.uniform(0.6, 1.1, n))
    bounds = _local_month_starts(start, months)
    month_of_year = (np.datetime64(start, "M").astype(np.int64) + np.arange(months)) % 12
    season = _SEASON[month_of_year]
    data_end = bounds[-1]
    holiday, off, first_day = _holidays(int(bounds[0] // DAY_NS), int(data_end // DAY_NS) + 60)

    # Tickets: Poisson counts per store-month, then one vectorised draw per column.
    counts = rng.poisson(tickets_per_store_month * np.outer(size, season))
    s_idx = np.repeat(np.repeat(np.arange(n), months), counts.ravel())
    m_idx = np.repeat(np.tile(np.arange(months), n), counts.ravel())
    total = len(s_idx)
    span = bounds[m_idx + 1] - bounds[m_idx]
    day = (rng.random(total) * (span // DAY_NS)).astype(np.int64)
    hour = rng.normal(15.5, 3.0, total).clip(10.0, 21.9)
    opened = bounds[m_idx] + day * DAY_NS + (hour * _HOUR_NS).astype(np.int64)
    kind = rng.choice(len(_KINDS), size=total, p=_KIND_P)
    channel = np.where(
        online[s_idx],
        rng.choice(5, size=total, p=_CHANNEL_P["online"]),
        rng.choice(5, size=total, p=_CHANNEL_P["store"]),
    )
    # Online shops answer from a staffed chat desk: faster than a store's back office.
    response_h = _RESPONSE_H[kind] * rng.lognormal(0.0, 0.5, total) * slow[s_idx] * np.where(online[s_idx], 0.4, 1.0)
    # Consultations are answered within seconds, with a thin tail of minutes (thicker at bad stores).
    tail = rng.random(total) < np.where(bad[s_idx], 0.05, 0.003)
    consult_s = np.where(tail, rng.uniform(60, 600, total), rng.uniform(4, 25, total) * np.where(bad[s_idx], 1.3, 1.0))
    response_h = np.where(kind == _K["consultation"], consult_s / 3600.0, response_h)
    # Back-office work opened on a statutory holiday starts the next working morning.
    wait = np.zeros(total, dtype=np.int64)
    opened_day = opened // DAY_NS
    day_index = lambda d: np.clip(d - first_day, 0, len(off) - 1)  # noqa: E731
    on_holiday = (kind != _K["consultation"]) & holiday[day_index(opened_day)]
    next_work = opened_day + on_holiday
    for _ in range(10):  # no PRC holiday run is longer than nine days
        more = on_holiday & off[day_index(next_work)]
        if not more.any():
            break
        next_work = next_work + more
    moved = next_work != opened_day
    wait[moved] = next_work[moved] * DAY_NS + 9 * _HOUR_NS - opened[moved]
    responded = opened + wait + (response_h * _HOUR_NS).astype(np.int64)
    resolved = responded + (_RESOLVE_H[kind] * rng.lognormal(0.0, 0.5, total) * slow[s_idx] * _HOUR_NS).astype(np.int64)
    lost = rng.random(total) < 0.001
    responded = np.where((responded >= data_end) | lost, np.iinfo(np.int64).min, responded)
    resolved = np.where(
        (resolved >= data_end) | lost | (responded == np.iinfo(np.int64).min), np.iinfo(np.int64).min, resolved
    )
    major = np.isin(kind, [_K["complaint"], _K["repair"]]) & (rng.random(total) < 0.1)
    warranty = pd.array(np.where(kind == _K["repair"], rng.random(total) < 0.7, False), dtype="boolean")
    warranty[kind != _K["repair"]] = pd.NA
    # Categories as codes into one list of names (-1: none), never as ten million strings.
    names = [name for values, _ in _CATEGORIES.values() for name in values]
    category = np.full(total, -1, dtype=np.int64)
    offset = 0
    for k, (values, p) in _CATEGORIES.items():
        m = kind == _K[k]
        category[m] = offset + rng.choice(len(values), size=int(m.sum()), p=p)
        offset += len(values)
    tickets = _table(
        "tickets",
        {
            "ticket_id": "T" + pd.Series(np.arange(1, total + 1)).astype("str"),
            "store_id": pd.Categorical.from_codes(s_idx, ids),
            "kind": pd.Categorical.from_codes(kind, _KINDS),
            "severity": pd.Categorical.from_codes(
                np.where(major, _SEVERITIES.index("major"), _SEVERITIES.index("normal")), _SEVERITIES
            ),
            "channel": pd.Categorical.from_codes(channel, _CHANNELS),
            "opened_at": _utc(opened, zones[s_idx], zone_names),
            "first_response_at": _utc(responded, zones[s_idx], zone_names),
            "resolved_at": _utc(resolved, zones[s_idx], zone_names),
            "in_warranty": warranty,
            "category": pd.Categorical.from_codes(category, names),
        },
    )
    tickets = tickets.sort_values(_row_order("tickets"), kind="stable").reset_index(drop=True)

    s_counts = rng.poisson(surveys_per_store_month * np.outer(size, season))
    ss = np.repeat(np.repeat(np.arange(n), months), s_counts.ravel())
    sm = np.repeat(np.tile(np.arange(months), n), s_counts.ravel())
    answered = bounds[sm] + (rng.random(len(ss)) * (bounds[sm + 1] - bounds[sm] - _HOUR_NS)).astype(np.int64)
    happy = np.where(bad[ss], 0.78, 0.965)
    satisfied = rng.random(len(ss)) < happy
    csat = np.where(
        satisfied,
        rng.choice([4, 5], size=len(ss), p=[0.45, 0.55]),
        rng.choice([1, 2, 3], size=len(ss), p=[0.15, 0.3, 0.55]),
    )
    surveys = (
        _table(
            "surveys",
            {
                "response_id": "R" + pd.Series(np.arange(1, len(ss) + 1)).astype("str"),
                "store_id": pd.Categorical.from_codes(ss, ids),
                "answered_at": _utc(answered, zones[ss], zone_names),
                "topic": pd.Categorical.from_codes(rng.choice(3, size=len(ss), p=[0.7, 0.2, 0.1]), _TOPICS),
                "csat_score": csat.astype(np.float64),
                "nps_score": np.clip(np.round(csat * 2 + rng.normal(0, 1.2, len(ss))), 0, 10),
            },
        )
        .sort_values(_row_order("surveys"), kind="stable")
        .reset_index(drop=True)
    )

    ps, pm = np.repeat(np.arange(n), months), np.tile(np.arange(months), n)
    visitors = np.round(9000 * size[ps] * season[pm] * rng.uniform(0.9, 1.1, n * months))
    zone_share = np.where(bad[ps], rng.uniform(0.18, 0.3, n * months), rng.uniform(0.3, 0.45, n * months))
    book = np.round(1_500_000 * size[ps] * rng.uniform(0.9, 1.1, n * months), -2)
    shrink = np.where(bad[ps], rng.uniform(0.04, 0.08, n * months), rng.uniform(0.005, 0.03, n * months))
    total_cost = np.round(400_000 * size[ps] * rng.uniform(0.95, 1.05, n * months), -2)
    display_share = np.where(bad[ps], rng.uniform(0.13, 0.19, n * months), rng.uniform(0.07, 0.13, n * months))
    staff = np.round(12 * size[ps]) + 4
    trained = np.minimum(
        staff,
        np.round(staff * np.where(bad[ps], rng.uniform(0.7, 0.9, n * months), rng.uniform(0.88, 1.0, n * months))),
    )
    no_floor = online[ps]
    store_periods = _table(
        "store_periods",
        {
            "store_id": pd.Categorical.from_codes(ps, ids),
            "period": (np.datetime64(start, "M") + pm).astype(str),
            "visitors": visitors,
            "display_zone_visitors": np.where(no_floor, np.nan, np.round(visitors * zone_share)),
            "transactions": np.round(visitors * rng.uniform(0.12, 0.25, n * months)),
            "inventory_book_value": book,
            "inventory_counted_value": np.round(book * (1 - shrink), -2),
            "display_cost": np.where(no_floor, np.nan, np.round(total_cost * display_share, -2)),
            "total_cost": total_cost,
            "staff_count": staff,
            "staff_trained": trained,
        },
    )

    # Training: one or two sessions per store and quarter on working days; bad stores skip some quarters.
    quarters = sorted(set(((np.datetime64(start, "M").astype(np.int64) + np.arange(months)) // 3).tolist()))
    q = np.array(quarters)
    sessions = rng.choice([1, 2], size=(n, len(q)), p=[0.6, 0.4]) * ~(bad[:, None] & (rng.random((n, len(q))) < 0.5))
    t_store = np.repeat(np.repeat(np.arange(n), len(q)), sessions.ravel())
    t_q = np.repeat(np.tile(q, n), sessions.ravel())
    q_start = (t_q * 3).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    t_day = q_start + rng.integers(0, 88, len(t_store))
    t_day = np.where(off[np.clip(t_day - first_day, 0, len(off) - 1)], t_day + 2, t_day)
    in_range = (t_day * DAY_NS >= bounds[0]) & (t_day * DAY_NS < data_end)
    t_store, t_day = t_store[in_range], t_day[in_range]
    attend = np.maximum(1, np.round(staff[t_store * months] * rng.uniform(0.6, 1.0, len(t_store)))).astype(np.int64)
    a_store, a_day = np.repeat(t_store, attend), np.repeat(t_day, attend)
    a_emp = np.concatenate([np.arange(k) for k in attend]) if len(attend) else np.zeros(0, dtype=np.int64)
    hours = np.repeat(rng.choice([1.5, 2.0, 3.0, 4.0], size=len(t_store), p=[0.1, 0.4, 0.35, 0.15]), attend)
    training = (
        _table(
            "training",
            {
                "employee_id": (
                    pd.Series(ids[a_store], dtype="str")
                    + "-e"
                    + pd.Series(a_emp, dtype="int64").astype("str").str.zfill(2)
                ).to_numpy(),
                "store_id": pd.Categorical.from_codes(a_store, ids),
                "session_date": a_day.astype("datetime64[D]").astype("datetime64[ns]"),
                "hours": hours,
            },
        )
        .sort_values(_row_order("training"), kind="stable")
        .reset_index(drop=True)
    )
    stores_frame = _table("stores", {"store_id": ids, "profile": [s.profile for s in stores]})
    return {
        "tickets": tickets,
        "surveys": surveys,
        "store_periods": store_periods,
        "training": training,
        "stores": stores_frame,
    }


def _local_text(utc: pd.Series, zones: pd.Series) -> pd.Series:
    """UTC timestamps as local `YYYY-MM-DDTHH:MM:SS` text without offset (empty where missing)."""
    out = pd.Series("", index=utc.index, dtype=object)
    for zone in zones.dropna().unique():
        m = (zones == zone).to_numpy() & utc.notna().to_numpy()
        out[m] = utc[m].dt.tz_convert(zone).dt.strftime("%Y-%m-%dT%H:%M:%S")
    return out


def write_sample(
    tables: dict[str, pd.DataFrame], folder: Path, zone_of: dict[str, str], fmt: str = "csv"
) -> list[Path]:
    """Write the tables as CSV (local times without offset, as a store's till would) or Parquet (UTC)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / SAMPLE_MARKER).write_text(
        "synthetic data written by `servicekb sample-data`; replaceable\n", encoding="utf-8"
    )
    written = []
    for name, frame in tables.items():
        path = folder / f"{name}.{fmt}"
        if fmt == "parquet":
            frame.to_parquet(path, index=False)
        else:
            out = frame.copy()
            zones = out["store_id"].astype(str).map(zone_of) if "store_id" in out else None
            for col in out.columns:
                if isinstance(out[col].dtype, pd.DatetimeTZDtype):
                    out[col] = _local_text(out[col], zones)
                elif pd.api.types.is_datetime64_dtype(out[col].dtype):
                    out[col] = out[col].dt.strftime("%Y-%m-%d")
                elif pd.api.types.is_float_dtype(out[col].dtype):
                    out[col] = out[col].map(
                        lambda x: "" if pd.isna(x) else (f"{int(x)}" if float(x).is_integer() else f"{x:g}")
                    )
            out.to_csv(path, index=False, lineterminator="\n")
        written.append(path)
    return written
