"""deadline: the share of decided events answered (or resolved) within the target's time, on three clocks.

Per event (`rows`): `code` (met, late, overdue, pending or unjudged, the
codes of `compliance.deadlines`), `elapsed` and `delay` in the target's
unit. The clocks follow `compliance.deadlines`: calendar time as epoch
arithmetic; PRC working days and working time through the working-day
calendar table joined on each event's local days. An event that needs a
year the calendar does not know is unjudged, never guessed.
"""

from __future__ import annotations

import ibis
import numpy as np
import pandas as pd
from ibis import _

from servicekb.compliance.deadlines import LATE, MET, OVERDUE, PENDING, UNJUDGED, make_deadline_rule
from servicekb.compliance.kinds import register
from servicekb.compliance.kinds.base import Kind, count_if, max_if, zeros
from servicekb.compliance.localtime import elapsed_us
from servicekb.compliance.measures import Measures
from servicekb.compliance.words import format_number
from servicekb.compliance.workdays import DAY_US
from servicekb.datatables import TABLES
from servicekb.types import Unit

__all__ = ["Deadline"]

_UNIT_US = {Unit.second: 10**6, Unit.minute: 60 * 10**6, Unit.hour: 3600 * 10**6, Unit.day: DAY_US}


def _code(has_end, on_time):
    return ibis.ifelse(has_end, ibis.ifelse(on_time, MET, LATE), ibis.ifelse(on_time, PENDING, OVERDUE)).cast("int8")


def _pending():
    """An unanswered event within its deadline: pending, unless judged on the calendar's last known day."""
    return ibis.ifelse(_._past_calendar, UNJUDGED, PENDING)


def _judged(has_end, opened, answered, if_answered, if_open):
    """The outcome code of a non-calendar clock: unjudged where the calendar does not know a day it needs."""
    return ibis.ifelse(
        has_end, ibis.ifelse(answered, if_answered, UNJUDGED), ibis.ifelse(opened, if_open, UNJUDGED)
    ).cast("int8")


def _breach(code):
    return (code == LATE) | (code == OVERDUE)


def _clock(definition) -> tuple[str, str]:
    """Shared per-row columns of a calendar clock: answered by the as-of time, and microseconds spent."""
    return f"_done_{definition.end}", f"_spent_{definition.start}_{definition.end}"


def _threshold(rule) -> tuple[int, int]:
    """(microseconds per unit, the deadline in microseconds) of a calendar rule."""
    unit = _UNIT_US[rule.unit]
    return unit, int(round(rule.value * unit))


def _over(plan, spent, thr):
    """Past the deadline (a breach, answered or not); an event without a start time counts as one."""
    rule = plan.prepared
    over = spent >= thr if rule.strict else spent > thr
    if TABLES[plan.table].column(plan.definition.start).nullable:
        return over | spent.isnull()
    return over


def _shared_names(plan) -> dict[str, str]:
    """Names of the reductions every calendar target on the same selection and clock shares."""
    d = plan.definition
    base = f"_{plan.selection_column}_{d.start}_{d.end}"
    return {"events": f"{plan.selection_column}_n", "done": f"{base}_done", "longest": f"{base}_max"}


class Deadline(Kind):
    """Attainment = met / (met + breaches); pending events are not decided yet."""

    name = "deadline"
    title = "按时完成的事件比例 share of events meeting a deadline"
    needs = ("start", "end")
    verdict = "attainment"
    value_unit = "percent"
    description = "share of events whose response or resolution met the deadline (calendar or PRC working days)"

    def prepare(self, plan):
        rule = make_deadline_rule(plan.target.spec)
        if isinstance(rule, str):
            return rule
        plan.prepared = rule
        return None

    def rows(self, plan):
        """Per-event columns in stages, each stage reading the columns of the ones before."""
        d, rule, r = plan.definition, plan.prepared, plan.r
        start, end = plan.col(d.start), plan.col(d.end)
        if rule.mode == "calendar":
            # One clock per pair of columns, shared by every target on it (only thresholds differ).
            done, spent = _clock(d)
            given = end.notnull() & (end <= _._as_of)
            return {
                done: given,
                spent: elapsed_us(start, ibis.ifelse(given, end, _._as_of), plan.ctx.relations.engine),
            }
        # An event is judged when the calendar knows its opening day and, once answered, its answer day. An
        # unanswered one is judged on `_judged_day` (the as-of day, or the calendar's last known day when the
        # as-of day is past it: then only a deadline already passed is judged). An empty start is not judged.
        done = _clock(d)[0]
        first = {done: end.notnull() & (end <= _._as_of)}
        has_end = r(done)
        o_day, o_work, o_cum = plan.calendar(d.start)
        e_day, e_work, e_cum = plan.calendar(d.end)
        cal = plan.ctx.workdays
        lo, hi = ibis.literal(cal.known_first), ibis.literal(cal.known_last)
        opened = o_day > lo
        answered = opened & (e_day <= hi)
        if rule.mode == "working_days":
            due, due_cum = plan.due(d.start, rule.working_days)
            late = due.notnull() & (e_day > due)
            overdue = due.notnull() & (_._judged_day > due)
            second = {
                "code": _judged(
                    has_end, opened, answered, ibis.ifelse(late, LATE, MET), ibis.ifelse(overdue, OVERDUE, _pending())
                )
            }
            # Working days counted to the answer day, or to the day the unanswered event is judged on.
            now_cum = ibis.ifelse(has_end, e_cum, _._now_cum)
            elapsed = (now_cum - o_cum).cast("float64")
            delay = (now_cum - due_cum).cast("float64")
            stages = [first, second]
        else:
            unit = _UNIT_US[rule.unit]
            thr = int(round(rule.value * unit))

            def working(day_work, day_cum, local):
                inside = ibis.ifelse(day_work, local.delta(local.truncate("D"), unit="microsecond"), 0)
                return (day_cum - day_work.cast("int64")) * DAY_US + inside

            f_start = working(o_work, o_cum, plan.local(d.start))
            f_end = working(e_work, e_cum, plan.local(d.end))
            second = {"spent": ibis.ifelse(has_end, f_end, _._now_us) - f_start}
            on_time = r("spent") < thr if rule.strict else r("spent") <= thr
            third = {
                "code": _judged(
                    has_end,
                    opened,
                    answered,
                    ibis.ifelse(on_time, MET, LATE),
                    ibis.ifelse(on_time, _pending(), OVERDUE),
                )
            }
            elapsed = r("spent") / unit
            delay = (r("spent") - thr) / unit
            stages = [first, second, third]
        code = r("code")
        stages.append(
            {
                "elapsed": ibis.ifelse(code != UNJUDGED, elapsed, ibis.null("float64")),
                "delay": ibis.ifelse(_breach(code), delay, ibis.null("float64")),
            }
        )
        return stages

    def explain_rows(self, plan):
        """A calendar target's outcome per event (scoring counts them from the shared clock instead)."""
        rule = plan.prepared
        if rule.mode != "calendar":
            return []
        done, spent = (plan.r(name) for name in _clock(plan.definition))
        unit, thr = _threshold(rule)
        return [
            {"code": _code(done, ~_over(plan, spent, thr))},
            {
                "elapsed": spent / unit,
                "delay": ibis.ifelse(_breach(plan.r("code")), (spent - thr) / unit, ibis.null("float64")),
            },
        ]

    def reduce(self, plan):
        rule = plan.prepared
        if rule.mode == "calendar":
            # Counted straight from the clock (as a hand-written query would): per selection and clock the
            # events, those answered and the longest time; per target only its breaches and the overdue ones.
            d, sel = plan.definition, plan.selected()
            done, spent = (plan.r(name) for name in _clock(d))
            unit, thr = _threshold(rule)
            over = _over(plan, spent, thr)
            shared = _shared_names(plan)
            return {
                shared["events"]: count_if(sel),
                shared["done"]: count_if(sel & done),
                shared["longest"]: max_if(spent, sel),
                "breaches": count_if(sel & over),
                "overdue": count_if(sel & ~done & over),
            }
        sel, code = plan.selected(), plan.r("code")
        return {
            "met": count_if(sel & (code == MET)),
            "breaches": count_if(sel & _breach(code)),
            "pending": count_if(sel & (code == PENDING)),
            "unjudged": count_if(sel & (code == UNJUDGED)),
            "worst": max_if(plan.r("delay"), sel & _breach(code)),
        }

    def finish(self, plan, found, windows=None):
        rule = plan.prepared
        breaches = zeros(found["breaches"])
        if rule.mode == "calendar":
            shared = _shared_names(plan)
            done, overdue = zeros(found[shared["done"]]), zeros(found["overdue"])
            met = done - (breaches - overdue)
            pending = zeros(found[shared["events"]]) - done - overdue
            unjudged = np.zeros(plan.size)
            unit, thr = _threshold(rule)
            worst = (np.asarray(found[shared["longest"]], dtype=np.float64) - thr) / unit
        else:
            met, pending, unjudged = zeros(found["met"]), zeros(found["pending"]), zeros(found["unjudged"])
            worst = np.asarray(found["worst"], dtype=np.float64)
        decided = met + breaches
        out = Measures.blank(plan.size)
        with np.errstate(divide="ignore", invalid="ignore"):
            out.value = np.where(decided > 0, 100.0 * met / decided, np.nan)
        out.n, out.breaches, out.pending = decided, breaches, pending
        out.worst_delay = np.where(breaches > 0, worst, np.nan)
        out.reason = np.where(
            decided > 0, "", np.where(pending > 0, "every event is still pending", "no events")
        ).astype(object)
        if unjudged.any():
            note = (
                np.char.mod("%d", unjudged.astype(np.int64)).astype(object)
                + " event(s) need a year the working-day calendar does not know: not judged"
            )
            out.reason = np.where(unjudged > 0, note, out.reason).astype(object)
            # A verdict that events not yet judged could still change is not final.
            out.settled = unjudged == 0
            id_col = TABLES[plan.table].columns[0].name
            rows = plan.fetch(plan.selected() & (plan.r("code") == UNJUDGED), [id_col, "_row"])
            plan.ctx.unjudged[(plan.table, plan.label)] = rows.sort_values("_row").reset_index(drop=True)
        return out

    def explain(self, plan, cell_rows, row, explained):
        from servicekb.compliance.explain import format_local

        d, rule, num, ctx = plan.definition, plan.prepared, format_number, plan.ctx
        store = int(row["store_index"])
        zone = ctx.grid.zones[ctx.grid.tz_codes[store]]
        code = cell_rows[plan.key + "code"].to_numpy()
        delay = cell_rows[plan.key + "delay"].to_numpy(dtype=np.float64, na_value=np.nan)
        elapsed = cell_rows[plan.key + "elapsed"].to_numpy(dtype=np.float64, na_value=np.nan)
        clock = {
            "calendar": f"calendar time: elapsed = {d.end} − {d.start}; "
            f"deadline = {d.start} + {num(rule.value)} {rule.unit.value}",
            "working_days": "PRC working days (chinese-calendar, holidays and adjusted working days): "
            f"deadline = end of working day {rule.working_days} after the opening day",
            "working_time": "working time: only time on PRC working days counts (whole days); "
            f"limit {num(rule.value)} {rule.unit.value}",
        }[rule.mode]
        as_of_text = format_local(zone, [pd.Timestamp(int(ctx.as_of[store]))])[0]
        met, late, overdue, pending, unjudged = (
            int((code == c).sum()) for c in (MET, LATE, OVERDUE, PENDING, UNJUDGED)
        )
        explained.lines += [
            ("clock", clock),
            ("as of", f"{as_of_text} ({zone}): a {d.end} after it counts as not yet given"),
            (
                "counted",
                f"met {met}; breaches {late + overdue} (late {late}, unanswered past the deadline {overdue}); "
                f"pending {pending} (deadline not passed, not counted)",
            ),
        ]
        if unjudged:
            explained.lines.append(
                (
                    "not judged",
                    f"{unjudged} event(s) need a year the PRC working-day calendar does not know yet (not counted)",
                )
            )
        decided = met + late + overdue
        if decided:
            explained.lines.append(
                ("formula", f"attainment = 100 × {met} / {decided} = {num(100.0 * met / decided)} %")
            )
        if late + overdue:
            explained.lines.append(
                ("worst delay", f"{num(float(np.nanmax(delay)))} {rule.unit.value} past the deadline")
            )
            order = np.argsort(-np.nan_to_num(delay, nan=-np.inf), kind="stable")[:5]
            order = order[~np.isnan(delay[order])]
            id_col = TABLES[plan.table].columns[0].name
            picked = cell_rows.iloc[order]
            ends = [e if c == LATE else pd.NaT for e, c in zip(picked[d.end], code[order], strict=True)]
            explained.worst = pd.DataFrame(
                {
                    id_col: picked[id_col].astype(str).to_numpy(),
                    "line": [ctx.relations.line(plan.table, int(i)) for i in picked["_row"]],
                    d.start: format_local(zone, list(picked[d.start])),
                    d.end: format_local(zone, ends),
                    "elapsed": [num(round(x, 4)) for x in elapsed[order]],
                    "delay": [num(round(x, 4)) for x in delay[order]],
                    "outcome": ["late" if c == LATE else "unanswered" for c in code[order]],
                }
            )


register(Deadline())
