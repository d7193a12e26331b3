"""Per-event deadlines on calendar and PRC working-day clocks, vectorised.

Three clocks, chosen from the target's unit and clock:

- calendar: elapsed = response (or resolution) minus opening, in absolute
  time; the deadline is the opening plus the target.
- working days (unit `working_day`, or `day` on the working-day clock): the
  deadline is the end of the Nth working day after the opening day (local
  dates; PRC calendar with holidays and adjusted working days from
  chinese-calendar). `< N` means the end of working day N-1.
- working time (hours, minutes or seconds on the working-day clock): only
  time on working days counts, whole days of 24 hours.

An event without response by the as-of time is a breach when its deadline
passed before it, pending otherwise. Only the days an event needs must be
in the years the PRC calendar knows: from its opening to its answer, or to
the as-of time while it is unanswered. An event that needs a year the
calendar does not know is `UNJUDGED` (reported, never guessed); the others
are judged.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from servicekb.compliance.periods import DAY_NS, NAT
from servicekb.tailoring.effective import TargetSpec
from servicekb.types import Clock, Comparator, Unit

__all__ = [
    "LATE",
    "MET",
    "OVERDUE",
    "PENDING",
    "UNJUDGED",
    "CalendarError",
    "DeadlineRule",
    "Outcomes",
    "WorkCalendar",
    "evaluate_deadlines",
    "get_known_years",
    "make_deadline_rule",
]

MET, LATE, OVERDUE, PENDING, UNJUDGED = 0, 1, 2, 3, 4
_UNIT_NS = {Unit.second: 10**9, Unit.minute: 60 * 10**9, Unit.hour: 3600 * 10**9, Unit.day: DAY_NS}


class CalendarError(ValueError):
    """A working-day clock needs a date the PRC calendar does not know."""


def get_known_years() -> tuple[int, int]:
    """First and last year chinese-calendar has holidays and adjusted working days for."""
    from chinese_calendar import constants

    years = [d.year for d in constants.holidays]
    return min(years), max(years)


@dataclass(frozen=True)
class WorkCalendar:
    """Working days from `first` (days since 1970-01-01) on: `work[i]` and the running count `cum[i]`."""

    first: int
    work: np.ndarray
    cum: np.ndarray

    @classmethod
    def covering(cls, first_day: int, last_day: int) -> WorkCalendar:
        """The calendar of every day in [first_day, last_day]; CalendarError outside the known years."""
        import chinese_calendar

        lo, hi = get_known_years()
        a = dt.date(1970, 1, 1) + dt.timedelta(days=int(first_day))
        b = dt.date(1970, 1, 1) + dt.timedelta(days=int(last_day))
        if a.year < lo or b.year > hi:
            outside = sorted({y for y in range(a.year, b.year + 1) if y < lo or y > hi})
            raise CalendarError(
                f"the PRC working-day calendar (chinese-calendar) knows {lo}-{hi}; "
                f"these events need {', '.join(map(str, outside))} "
                f"(days {a.isoformat()} to {b.isoformat()}): score an earlier --as-of or update chinese-calendar"
            )
        days = [a + dt.timedelta(days=i) for i in range(int(last_day - first_day) + 1)]
        work = np.fromiter((chinese_calendar.is_workday(d) for d in days), dtype=bool, count=len(days))
        return cls(int(first_day), work, np.cumsum(work, dtype=np.int64))

    def count(self, day: np.ndarray) -> np.ndarray:
        """Working days from the calendar's first day up to and including `day`."""
        return self.cum[day - self.first]

    def nth_after(self, day: np.ndarray, n: int) -> np.ndarray:
        """The Nth working day after `day` (the day itself for n = 0); a huge number past the calendar's end."""
        if n <= 0:
            return day.copy()
        idx = np.searchsorted(self.cum, self.count(day) + n, side="left")
        return np.where(idx < len(self.cum), idx + self.first, np.iinfo(np.int64).max // 4)

    def working_ns(self, local: np.ndarray) -> np.ndarray:
        """Working nanoseconds from the calendar's start to a local time (whole working days of 24 h)."""
        day = local // DAY_NS
        before = np.where(day > self.first, self.cum[np.maximum(day - 1 - self.first, 0)], 0)
        inside = np.where(self.work[day - self.first], local - day * DAY_NS, 0)
        return before * DAY_NS + inside


@dataclass(frozen=True)
class DeadlineRule:
    """How one target judges an event: clock mode, comparator and threshold."""

    mode: str
    strict: bool
    value: float
    unit: Unit

    @property
    def threshold_ns(self) -> int:
        """Calendar or working-time threshold in nanoseconds."""
        return int(round(self.value * _UNIT_NS[self.unit]))

    @property
    def working_days(self) -> int:
        """N of 'the end of the Nth working day': floor(value) for <=, ceil(value) - 1 for <."""
        return math.ceil(self.value) - 1 if self.strict else math.floor(self.value)


def make_deadline_rule(spec: TargetSpec) -> DeadlineRule | str:
    """The rule of a deadline target, or why it cannot be checked per event."""
    if spec.comparator not in (Comparator.le, Comparator.lt):
        return f"a deadline must be an upper bound (<= or <), not {spec.comparator.value}"
    strict = spec.comparator is Comparator.lt
    if spec.unit is Unit.working_day or (spec.unit is Unit.day and spec.clock is Clock.working_days):
        return DeadlineRule("working_days", strict, spec.value, Unit.working_day)
    if spec.unit not in _UNIT_NS:
        return f"unit {spec.unit.value} is not a duration"
    mode = "working_time" if spec.clock is Clock.working_days else "calendar"
    return DeadlineRule(mode, strict, spec.value, spec.unit)


@dataclass
class Outcomes:
    """Per event: outcome code, elapsed and delay in the target's unit."""

    code: np.ndarray
    elapsed: np.ndarray
    delay: np.ndarray


def evaluate_deadlines(
    rule: DeadlineRule,
    start: np.ndarray,
    end: np.ndarray,
    as_of: np.ndarray,
    start_local: np.ndarray | None = None,
    end_local: np.ndarray | None = None,
    as_of_local: np.ndarray | None = None,
) -> Outcomes:
    """Judge every event: met, late (answered after the deadline), overdue (unanswered, deadline passed) or pending.

    All arrays are int64 ns (UTC, or local wall clock for the `_local` ones),
    NAT where missing; an end after the as-of time counts as no end yet.
    """
    has_end = (end != NAT) & (end <= as_of)
    if len(start) == 0:
        empty = np.zeros(0)
        return Outcomes(np.zeros(0, dtype=np.int8), empty, empty)
    if rule.mode == "calendar":
        return _calendar(rule, start, end, as_of, has_end)
    first = start_local // DAY_NS - 1
    last = np.where(has_end, end_local // DAY_NS, as_of_local // DAY_NS)
    start_day, end_day = _known_days()
    # An unanswered event whose deadline passed within the known years is overdue whatever comes after:
    # it is judged at the last known instant (its delay is then a lower bound).
    clipped = ~has_end & (first >= start_day) & (last > end_day)
    as_of_local = np.where(clipped, (end_day + 1) * DAY_NS - 1, as_of_local)
    last = np.where(clipped, end_day, last)
    known = (first >= start_day) & (last <= end_day)
    if not known.any():
        n = len(start)
        return Outcomes(np.full(n, UNJUDGED, dtype=np.int8), np.full(n, np.nan), np.full(n, np.nan))
    cal = WorkCalendar.covering(int(first[known].min()), int(last[known].max()))
    # Unjudged events are evaluated on a stand-in inside the calendar, then marked.
    stand_in = (cal.first + 1) * DAY_NS
    s_loc = np.where(known, start_local, stand_in)
    e_loc = np.where(known, end_local, stand_in)
    # The as-of time matters only while an event is unanswered.
    now_loc = np.where(known, np.where(has_end, e_loc, as_of_local), stand_in)
    days = [s_loc // DAY_NS, np.where(has_end, e_loc // DAY_NS, s_loc // DAY_NS), now_loc // DAY_NS]
    if rule.mode == "working_days":
        out = _working_days(rule, cal, days[0], days[1], days[2], has_end)
    else:
        f_start, f_end, f_now = (
            cal.working_ns(s_loc),
            cal.working_ns(np.where(has_end, e_loc, s_loc)),
            cal.working_ns(now_loc),
        )
        out = _calendar(rule, f_start, np.where(has_end, f_end, NAT), f_now, has_end)
    judged = known & ~(clipped & (out.code == PENDING))
    out.code = np.where(judged, out.code, UNJUDGED).astype(np.int8)
    out.elapsed = np.where(judged, out.elapsed, np.nan)
    out.delay = np.where(judged, out.delay, np.nan)
    return out


def _known_days() -> tuple[int, int]:
    """First and last day (since 1970-01-01) of the years chinese-calendar knows."""
    lo, hi = get_known_years()
    epoch = np.datetime64("1970-01-01")
    return int((np.datetime64(f"{lo:04d}-01-01") - epoch).astype(np.int64)), int(
        (np.datetime64(f"{hi:04d}-12-31") - epoch).astype(np.int64)
    )


def _calendar(rule: DeadlineRule, start: np.ndarray, end: np.ndarray, now: np.ndarray, has_end: np.ndarray) -> Outcomes:
    thr = rule.threshold_ns
    unit = _UNIT_NS[rule.unit]
    elapsed = np.where(has_end, end - start, now - start)
    on_time = elapsed < thr if rule.strict else elapsed <= thr
    code = np.where(has_end, np.where(on_time, MET, LATE), np.where(on_time, PENDING, OVERDUE)).astype(np.int8)
    delay = np.where(code == LATE, elapsed - thr, np.where(code == OVERDUE, now - start - thr, 0)) / unit
    return Outcomes(code, elapsed / unit, np.where((code == LATE) | (code == OVERDUE), delay, np.nan))


def _working_days(
    rule: DeadlineRule,
    cal: WorkCalendar,
    opened: np.ndarray,
    answered: np.ndarray,
    today: np.ndarray,
    has_end: np.ndarray,
) -> Outcomes:
    n = rule.working_days
    due = cal.nth_after(opened, n)
    late = answered > due
    overdue = today > due
    code = np.where(has_end, np.where(late, LATE, MET), np.where(overdue, OVERDUE, PENDING)).astype(np.int8)
    last = np.where(has_end, answered, today)
    elapsed = (cal.count(last) - cal.count(opened)).astype(np.float64)
    safe_due = np.minimum(due, cal.first + len(cal.cum) - 1)
    delay = (cal.count(last) - cal.count(safe_due)).astype(np.float64)
    breach = (code == LATE) | (code == OVERDUE)
    return Outcomes(code, elapsed, np.where(breach, delay, np.nan))
