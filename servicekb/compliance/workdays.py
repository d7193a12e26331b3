"""The PRC working-day calendar as a table that any engine joins: one row per day it knows.

Each day has `work` (a working day under chinese-calendar, holidays and
adjusted working Saturdays included), `cum` (working days from the
table's first day up to and including it) and, per N a target needs,
`due_N` and `due_cum_N`: the Nth working day after it and its `cum` (the
day itself for N = 0; empty past the table's end, where no deadline can
pass before the as-of time). Days of years the calendar does not know are
absent: a deadline that needs them is not judged (`compliance.deadlines`
has the rule). Per store, the day an unanswered event is judged on (the
as-of day, or the last known day when the as-of day is past it), its
`cum` and the working time then are constants computed here once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from servicekb.compliance.deadlines import get_known_years
from servicekb.compliance.ibisio import frame_table

__all__ = ["DAY_US", "WorkdayTable", "build_workday_table"]

DAY_US = 86_400 * 10**6


@dataclass
class WorkdayTable:
    """Calendar rows (`day`, `work`, `cum`) from `first` to `last`, within the years chinese-calendar knows."""

    frame: pd.DataFrame
    known_first: dt.date
    known_last: dt.date
    _tables: dict = field(default_factory=dict, repr=False)

    def _with_dues(self, dues: tuple[int, ...]):
        if dues not in self._tables:
            frame = self.frame.copy()
            cum = frame["cum"].to_numpy()
            for n in dues:
                if n <= 0:
                    idx = np.arange(len(frame))
                else:
                    idx = np.searchsorted(cum, cum + n, side="left")
                inside = idx < len(frame)
                safe = np.where(inside, idx, 0)
                frame[f"due_{n}"] = pd.Series(frame["day"].to_numpy()[safe]).where(inside)
                frame[f"due_cum_{n}"] = pd.array(np.where(inside, cum[safe], 0), dtype="Int64")
                frame.loc[~inside, f"due_cum_{n}"] = pd.NA
            self._tables[dues] = frame_table(frame)
        return self._tables[dues]

    def look_up(self, q, local: str, column: str, dues: list[int], only=None):
        """`q` plus `_day_C`, `_work_C`, `_cum_C` (and `_due_N_C`, `_due_cum_N_C`) for the local day of column C.

        The columns come from the calendar's row of the day: all empty for a day the table does not have (a year
        chinese-calendar does not know). `only`: a (deferred) boolean; where it does not hold, nothing is looked up.
        """
        import ibis

        cal = self._with_dues(tuple(dues))
        names = {"day": f"_day_{column}", "work": f"_work_{column}", "cum": f"_cum_{column}"}
        for n in dues:
            names[f"due_{n}"] = f"_due_{n}_{column}"
            names[f"due_cum_{n}"] = f"_due_cum_{n}_{column}"
        cal = cal.select(**{new: cal[old] for old, new in names.items()})
        day = q[local].date()
        # Joined on the day itself: no key column, and the table's own day is the output (one level fewer to compile).
        key = day if only is None else ibis.ifelse(only, day, ibis.null("date"))
        return q.left_join(cal, key == cal[names["day"]])

    def _index(self, day: dt.date) -> int | None:
        if "index" not in self._tables:
            self._tables["index"] = {d: i for i, d in enumerate(self.frame["day"])}
        return self._tables["index"].get(day)

    def working_us(self, local: pd.Timestamp) -> int:
        """Working microseconds from the table's first day to a local time (whole working days of 24 h)."""
        day = local.date()
        i = self._index(day)
        if i is None:
            return 0
        work, cum = bool(self.frame["work"].iloc[i]), int(self.frame["cum"].iloc[i])
        inside = (local - pd.Timestamp(day)) // pd.Timedelta(1, "us") if work else 0
        return (cum - int(work)) * DAY_US + int(inside)

    def cum_of(self, day: dt.date) -> int:
        """`cum` of a day of the table (0 when absent)."""
        i = self._index(day)
        return int(self.frame["cum"].iloc[i]) if i is not None else 0

    def add_store_constants(self, stores: pd.DataFrame, as_of_local: np.ndarray) -> pd.DataFrame:
        """The stores frame plus the constants unanswered events are judged with.

        An unanswered event is judged at the as-of time; when that is past the
        calendar's last known day, a still-unanswered event whose deadline
        passed is judged at the end of the last known day (and one whose
        deadline had not passed by then is not judged). Per store:
        `_judged_day` (the as-of day, or the last known day), `_past_calendar`
        (the as-of day is past it), `_now_cum` and `_now_us` (the running
        working-day count and working time at that moment).
        """
        out = stores.copy()
        last = pd.Timestamp(self.known_last) + pd.Timedelta(days=1) - pd.Timedelta(1, "us")
        # Stores share a handful of as-of times: each is computed once.
        found: dict[int, tuple] = {}
        for ns in set(int(v) for v in as_of_local):
            local = pd.Timestamp(ns).floor("us")
            past = local.date() > self.known_last
            now = last if past else local
            found[ns] = (pd.Timestamp(now.date()), self.cum_of(now.date()), self.working_us(now), past)
        days = [found[int(ns)][0] for ns in as_of_local]
        cums = [found[int(ns)][1] for ns in as_of_local]
        work_us = [found[int(ns)][2] for ns in as_of_local]
        out["_judged_day"] = pd.Series(days, dtype="datetime64[us]").dt.date
        out["_past_calendar"] = np.array([found[int(ns)][3] for ns in as_of_local], dtype=bool)
        out["_now_cum"] = np.asarray(cums, dtype=np.int64)
        out["_now_us"] = np.asarray(work_us, dtype=np.int64)
        return out


def build_workday_table(first: dt.date, last: dt.date) -> WorkdayTable:
    """The calendar of every known day in [first, last] (at least one day, so the table has a schema)."""
    import chinese_calendar

    lo, hi = get_known_years()
    known_first, known_last = dt.date(lo, 1, 1), dt.date(hi, 12, 31)
    a, b = max(first, known_first), min(last, known_last)
    if a > b:
        a = b = known_last
    days = [a + dt.timedelta(days=i) for i in range((b - a).days + 1)]
    work = np.fromiter((chinese_calendar.is_workday(d) for d in days), dtype=bool, count=len(days))
    frame = pd.DataFrame(
        {"day": pd.Series(pd.to_datetime(days)).dt.date, "work": work, "cum": np.cumsum(work, dtype=np.int64)}
    )
    frame["day"] = frame["day"].astype("object")
    return WorkdayTable(frame, known_first, known_last)
