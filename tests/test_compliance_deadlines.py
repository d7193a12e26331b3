"""Per-event deadlines: calendar hours, PRC working days (holidays, adjusted working days), working time, pending."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from servicekb.compliance.deadlines import LATE, MET, OVERDUE, PENDING, UNJUDGED, evaluate_deadlines, make_deadline_rule
from servicekb.compliance.periods import NAT
from servicekb.tailoring.effective import TargetSpec
from servicekb.types import Clock, Comparator, Unit

SHANGHAI = "Asia/Shanghai"


def ns(local: str | None) -> int:
    """A Shanghai local time as UTC ns (NAT for None)."""
    return NAT if local is None else pd.Timestamp(local, tz=SHANGHAI).value


def local(text: str | None) -> int:
    """The same local time as wall-clock ns."""
    return NAT if text is None else pd.Timestamp(text).value


def judge(spec: TargetSpec, opened: str, answered: str | None, as_of: str):
    rule = make_deadline_rule(spec)
    args = [np.array([ns(opened)]), np.array([ns(answered)]), np.array([ns(as_of)])]
    if rule.mode != "calendar":
        args += [np.array([local(opened)]), np.array([local(answered)]), np.array([local(as_of)])]
    out = evaluate_deadlines(rule, *args)
    return int(out.code[0]), float(out.elapsed[0]), float(out.delay[0])


HOURS_24 = TargetSpec(Comparator.le, 24, None, Unit.hour, Clock.calendar)
WORKING_3 = TargetSpec(Comparator.le, 3, None, Unit.working_day, Clock.working_days)
WORKING_1 = TargetSpec(Comparator.le, 1, None, Unit.working_day, Clock.working_days)
WORK_HOURS_8 = TargetSpec(Comparator.le, 8, None, Unit.hour, Clock.working_days)


@pytest.mark.parametrize(
    ("spec", "opened", "answered", "as_of", "code"),
    [
        # exactly on the deadline meets an at-most target
        (HOURS_24, "2026-03-02 10:00", "2026-03-03 10:00", "2026-03-31", MET),
        # one second late
        (HOURS_24, "2026-03-02 10:00", "2026-03-03 10:00:01", "2026-03-31", LATE),
        # a strict target is missed exactly on the deadline
        (
            TargetSpec(Comparator.lt, 24, None, Unit.hour, Clock.calendar),
            "2026-03-02 10:00",
            "2026-03-03 10:00",
            "2026-03-31",
            LATE,
        ),
        # unanswered, deadline passed before the as-of time: a breach
        (HOURS_24, "2026-03-02 10:00", None, "2026-03-03 10:01", OVERDUE),
        # unanswered, deadline not yet passed: pending, not counted
        (HOURS_24, "2026-03-02 10:00", None, "2026-03-03 09:59", PENDING),
        # an answer after the as-of time was not known then
        (HOURS_24, "2026-03-02 10:00", "2026-03-02 12:00", "2026-03-02 11:00", PENDING),
        # 30 seconds: units below the hour
        (
            TargetSpec(Comparator.le, 30, None, Unit.second, None),
            "2026-03-02 10:00:00",
            "2026-03-02 10:00:31",
            "2026-03-31",
            LATE,
        ),
        # National Day 1-7 Oct: opened 30 Sep, the 3rd working day is Sat 10 Oct (an adjusted working day)
        (WORKING_3, "2026-09-30 10:00", "2026-10-10 23:00", "2026-10-31", MET),
        # ... so Sunday 11 Oct is too late, although only three working days have passed by then
        (WORKING_3, "2026-09-30 10:00", "2026-10-11 09:00", "2026-10-31", LATE),
        # opened on Friday 9 Oct: one working day later is Saturday 10 Oct, not Monday 12
        (WORKING_1, "2026-10-09 10:00", "2026-10-12 09:00", "2026-10-31", LATE),
        # opened during the holiday, the count starts on the first working day after it
        (WORKING_1, "2026-10-02 10:00", "2026-10-08 18:00", "2026-10-31", MET),
        # unanswered: the deadline (end of 10 Oct) has passed on 11 Oct
        (WORKING_1, "2026-10-09 10:00", None, "2026-10-11 00:30", OVERDUE),
        # ... but not during 10 Oct itself
        (WORKING_1, "2026-10-09 10:00", None, "2026-10-10 23:30", PENDING),
        # working time: opened on a holiday, 5 working hours on 8 Oct
        (WORK_HOURS_8, "2026-10-01 10:00", "2026-10-08 05:00", "2026-10-31", MET),
        # working time: 4 h on Friday 9 Oct and 8 h on the adjusted Saturday 10 Oct
        (WORK_HOURS_8, "2026-10-09 20:00", "2026-10-10 08:00", "2026-10-31", LATE),
    ],
)
def test_each_event_is_judged_on_its_target_clock(spec, opened, answered, as_of, code):
    assert judge(spec, opened, answered, as_of)[0] == code


def test_elapsed_and_delay_are_in_the_target_unit():
    code, elapsed, delay = judge(HOURS_24, "2026-03-02 10:00", "2026-03-03 16:30", "2026-03-31")
    assert (code, elapsed, delay) == (LATE, 30.5, 6.5)
    # Working days: opened 30 Sep, answered Wed 14 Oct: 8, 9, 10, 12, 13, 14 Oct = 6 working days, 3 past the deadline.
    code, elapsed, delay = judge(WORKING_3, "2026-09-30 10:00", "2026-10-14 09:00", "2026-10-31")
    assert (code, elapsed, delay) == (LATE, 6.0, 3.0)


@pytest.mark.parametrize(
    ("spec", "opened", "answered", "as_of", "code"),
    [
        # answered in 2027, a year chinese-calendar (to 2026) does not know: not judged, never guessed
        (WORKING_3, "2026-12-30 10:00", "2027-01-05 10:00", "2027-01-31", UNJUDGED),
        # unanswered, and its third working day would fall in 2027: not judged
        (WORKING_3, "2026-12-30 10:00", None, "2027-01-05", UNJUDGED),
        (WORK_HOURS_8, "2026-12-31 20:00", None, "2027-01-05", UNJUDGED),
        # ... but the fourteen working hours left on 31 Dec 2026 already exceed eight: overdue
        (WORK_HOURS_8, "2026-12-31 10:00", None, "2027-01-05", OVERDUE),
        # answered in 2026: the as-of time in 2027 does not matter
        (WORKING_3, "2026-10-09 10:00", "2026-10-14 10:00", "2027-01-05", LATE),
        (WORK_HOURS_8, "2026-12-01 10:00", "2026-12-01 12:00", "2027-01-05", MET),
        # unanswered, but its deadline passed inside 2026: overdue whatever 2027 holds
        (WORKING_3, "2026-10-20 10:00", None, "2027-01-05", OVERDUE),
        (WORK_HOURS_8, "2026-12-01 10:00", None, "2027-01-05", OVERDUE),
    ],
)
def test_only_the_days_an_event_needs_must_be_in_the_calendar(spec, opened, answered, as_of, code):
    assert judge(spec, opened, answered, as_of)[0] == code


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        # a deadline is an upper bound
        (TargetSpec(Comparator.ge, 24, None, Unit.hour, Clock.calendar), "upper bound"),
        # a percentage is not a duration
        (TargetSpec(Comparator.le, 24, None, Unit.percent, None), "not a duration"),
    ],
)
def test_targets_that_cannot_be_checked_per_event_say_why(spec, problem):
    assert problem in make_deadline_rule(spec)
