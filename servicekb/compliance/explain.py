"""The worked calculation behind one scorecard row, in words and numbers an auditor can retrace.

For a store, a period and a metric, every effective target on that metric
is explained: which rows of which file were read (filters and line
numbers), the numerator, the denominator, the formula with its numbers,
the Wilson interval step by step for survey shares, the target with the
clauses it comes from, the verdict and, for deadlines, the five worst
events. The numbers are recomputed from the same row selection the engine
uses and must equal the scorecard's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from servicekb.compliance.context import Context
from servicekb.compliance.deadlines import LATE, MET, OVERDUE, PENDING, UNJUDGED, evaluate_deadlines, make_deadline_rule
from servicekb.compliance.definitions import select_rows
from servicekb.compliance.engine import count_window_months, evaluate_expression, find_selected_rows, mask_rows
from servicekb.compliance.periods import NAT, format_period, get_period_bounds
from servicekb.compliance.scorecard import Scorecard
from servicekb.compliance.stats import explain_wilson
from servicekb.compliance.tables import TABLES
from servicekb.models import MetricKind

__all__ = ["ExplainError", "Explanation", "explain_metric", "render_explanations"]


class ExplainError(LookupError):
    """The store, period or metric asked for is not in the scorecard."""


@dataclass
class Explanation:
    """One target's worked calculation: a title, labelled lines, and the worst events of a deadline."""

    title: str
    lines: list[tuple[str, str]] = field(default_factory=list)
    worst: pd.DataFrame | None = None


def _num(x: float) -> str:
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "—"
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.4f}".rstrip("0").rstrip(".")


def _lines(ctx: Context, table: str, rows: np.ndarray, limit: int = 12) -> str:
    placed = ctx.tables[table]
    numbers = [ctx.dataset.line(table, i) for i in placed.frame.index[rows[:limit]]]
    what = "line" if ctx.dataset.files[table].endswith(".csv") else "row"
    shown = ", ".join(map(str, numbers)) + (", …" if len(rows) > limit else "")
    return f"{len(rows)} row{'s' * (len(rows) != 1)}" + (
        f" ({what}{'s' * (len(rows) != 1)} {shown})" if len(rows) else ""
    )


def _local(ctx: Context, store: int, ns: np.ndarray) -> list[str]:
    zone = ctx.grid.zones[ctx.grid.tz_codes[store]]
    stamps = pd.to_datetime(pd.Series(np.where(ns == NAT, np.datetime64("NaT"), ns.view("datetime64[ns]"))), utc=True)
    return [("—" if pd.isna(t) else t.tz_convert(zone).strftime("%Y-%m-%d %H:%M")) for t in stamps]


def _cell_rows(ctx: Context, table: str, rows: np.ndarray, cell: int) -> np.ndarray:
    placed = ctx.tables[table]
    return rows[ctx.grid.cell(placed.store[rows], placed.period[rows]) == cell]


def _verdict(row: pd.Series, kind: str) -> str:
    status, comp, t = row["status"], row["comparator"], _num(row["target"])
    target = f"between {t} and {_num(row['target_upper'])}" if comp == "between" else f"{comp} {t}"
    if status in ("no-data", "not-computable"):
        return f"{status}: {row['reason']}"
    if kind == MetricKind.survey_share.value:
        lo, hi = _num(row["ci_low"]), _num(row["ci_high"])
        rule = {
            ">=": f"pass needs the lower end >= {t}, fail needs the upper end < {t}",
            ">": f"pass needs the lower end > {t}, fail needs the upper end <= {t}",
            "<=": f"pass needs the upper end <= {t}, fail needs the lower end > {t}",
            "<": f"pass needs the upper end < {t}, fail needs the lower end >= {t}",
        }.get(comp, "pass needs the interval inside the target range, fail needs it wholly outside")
        return f"{status}: interval [{lo}, {hi}] against target {target} ({rule})"
    if kind == MetricKind.deadline.value:
        req = row["required"]
        source = "the store profile's service level" if req != 100 else "every decided event must meet the deadline"
        return f"{status}: attainment {_num(row['value'])} % {'>=' if status == 'pass' else '<'} required {_num(req)} % ({source})"
    met = "meets" if status == "pass" else ("does not yet decide" if status == "inconclusive" else "misses")
    return f"{status}: {_num(row['value'])} {row['unit']} {met} {target}" + (
        f" ({row['reason']})" if row["reason"] else ""
    )


def explain_metric(card: Scorecard, store_id: str, period: str, metric: str) -> list[Explanation]:
    """The worked calculation of every target on `metric` for one store and period."""
    frame = card.frame
    mine = frame[frame["store_id"] == store_id]
    if mine.empty:
        raise ExplainError(
            f"store {store_id!r} is not in the scorecard (stores: {', '.join(sorted(set(frame['store_id']))[:10]) or 'none'})"
        )
    here = mine[mine["period"] == period]
    if here.empty:
        raise ExplainError(
            f"period {period!r} is not scored for {store_id} (periods: {', '.join(sorted(set(mine['period'])))})"
        )
    rows = here[here["metric"] == metric]
    if rows.empty:
        raise ExplainError(
            f"{store_id} has no target on {metric!r} (metrics: {', '.join(sorted(set(here['metric'])))})"
        )
    return [_explain_row(card, row) for _, row in rows.iterrows()]


def _explain_row(card: Scorecard, row: pd.Series) -> Explanation:
    ctx = card.context
    target = card.targets.specs[int(row["spec_id"])]
    kind = target.kind.value if target.kind else ""
    store, pidx = int(row["store_index"]), int(row["period_index"])
    cell = store * ctx.grid.count + pidx
    zone = ctx.grid.zones[ctx.grid.tz_codes[store]]
    first, last = get_period_bounds(ctx.grid.first + pidx, ctx.grid.granularity)
    goal = (
        f"between {_num(row['target'])} and {_num(row['target_upper'])}"
        if row["comparator"] == "between"
        else f"{row['comparator']} {_num(row['target'])}"
    )
    clock = f", {row['clock']} clock" if row["clock"] else ""
    source = row["clause_ids"] + (f"; set by {row['override']}" if row["override"] else "")
    out = Explanation(f"{row['metric']} [{row['population']}] — {row['store_id']}, {row['period']}")
    out.lines += [
        ("store", f"{row['store_id']} (profile {row['profile']}, timezone {zone})"),
        ("period", f"{row['period']}: {first} to {last}, local time"),
        ("target", f"{goal} {row['unit']}{clock}, from {source}"),
    ]
    d = target.metric.definition
    sel = select_rows(d, target.population) if d is not None else None
    if d is None or isinstance(sel, str) or row["status"] == "not-computable" or ctx.table(sel.table) is None:
        out.lines.append(("verdict", _verdict(row, kind)))
        return out
    placed = ctx.tables[sel.table]
    file = ctx.dataset.files[sel.table]
    event = TABLES[sel.table].event_time
    rows = _cell_rows(ctx, sel.table, find_selected_rows(ctx, sel), cell)
    out.lines.append(
        (
            "rows",
            f"{file}: store_id = {row['store_id']}, {event} in {row['period']}, {sel.describe()}: {_lines(ctx, sel.table, rows)}",
        )
    )
    explain = {
        MetricKind.survey_share.value: _survey,
        MetricKind.ratio.value: _ratio,
        MetricKind.deadline.value: _deadline,
        MetricKind.mean.value: _mean,
        MetricKind.percentile.value: _mean,
        MetricKind.count_per_period.value: _count,
    }[kind]
    explain(out, card, row, target, sel, placed, rows, cell)
    out.lines.append(("verdict", _verdict(row, kind)))
    return out


def _survey(out, card, row, target, sel, placed, rows, cell):
    d = target.metric.definition
    values = placed.frame[d.column].to_numpy(dtype=np.float64, na_value=np.nan)[rows]
    n, sat = int((~np.isnan(values)).sum()), int((values >= d.threshold).sum())
    out.lines += [
        ("numerator", f"answers with {d.column} >= {_num(d.threshold)}: {sat}"),
        ("denominator", f"answers: {n}"),
    ]
    if n == 0:
        return
    out.lines.append(("formula", f"value = {_num(d.scale)} × {sat} / {n} = {_num(d.scale * sat / n)} {row['unit']}"))
    w = explain_wilson(sat, n)
    out.lines.append(
        (
            "interval",
            f"95 % Wilson, z = {w.z:.4f}, p = {sat}/{n} = {w.share:.4f}: centre = (p + z²/2n)/(1 + z²/n) = {w.centre:.4f}, "
            f"half-width = z·√(p(1−p)/n + z²/4n²)/(1 + z²/n) = {w.half_width:.4f}; × {_num(d.scale)} = [{_num(w.low * d.scale)}, {_num(w.high * d.scale)}]",
        )
    )


def _summed(expr: str) -> str:
    text = expr.strip()
    if text == "count":
        return "number of those rows"
    if text.startswith("count("):
        return f"rows with {text[6:-1].strip()} set by the as-of time"
    return f"sum of {text}"


def _ratio(out, card, row, target, sel, placed, rows, cell):
    ctx, d = card.context, target.metric.definition
    num, num_missing = evaluate_expression(ctx, placed, d.numerator, rows)
    numerator = float(num[~num_missing].sum())
    plain = d.numerator.strip() == "count" or d.numerator.strip().startswith("count(")
    out.lines.append(("numerator", f"{_summed(d.numerator)}{'' if plain else ' over those rows'} = {_num(numerator)}"))
    den_name = d.denominator_table.value if d.denominator_table else sel.table
    den_placed = ctx.tables[den_name]
    den_rows = (
        _cell_rows(ctx, den_name, np.flatnonzero(den_placed.period >= 0), cell) if den_name != sel.table else rows
    )
    den, den_missing = evaluate_expression(ctx, den_placed, d.denominator, den_rows)
    denominator = float(den[~den_missing].sum())
    where = (
        f" over {ctx.dataset.files[den_name]}, store_id = {row['store_id']}, {TABLES[den_name].event_time} in {row['period']}: {_lines(ctx, den_name, den_rows)}"
        if den_name != sel.table
        else ("" if d.denominator.strip() == "count" else " over those rows")
    )
    out.lines.append(("denominator", f"{_summed(d.denominator)}{where} = {_num(denominator)}"))
    if int(num_missing.sum() + den_missing.sum()):
        out.lines.append(
            ("missing", f"{int(num_missing.sum() + den_missing.sum())} row(s) with an empty value: no value")
        )
    elif denominator:
        out.lines.append(
            (
                "formula",
                f"value = {_num(d.scale)} × {_num(numerator)} / {_num(denominator)} = {_num(d.scale * numerator / denominator)} {row['unit']}",
            )
        )


def _deadline(out, card, row, target, sel, placed, rows, cell):
    ctx, d = card.context, target.metric.definition
    rule = make_deadline_rule(target.spec)
    store = int(row["store_index"])
    start, end = placed.ns(d.start)[rows], placed.ns(d.end)[rows]
    as_of = ctx.as_of[placed.store[rows]]
    local = (
        ()
        if rule.mode == "calendar"
        else (
            ctx.local(sel.table, d.start)[rows],
            ctx.local(sel.table, d.end)[rows],
            ctx.as_of_local[placed.store[rows]],
        )
    )
    o = evaluate_deadlines(rule, start, end, as_of, *local)
    clock = {
        "calendar": f"calendar time: elapsed = {d.end} − {d.start}; deadline = {d.start} + {_num(rule.value)} {rule.unit.value}",
        "working_days": f"PRC working days (chinese-calendar, holidays and adjusted working days): deadline = end of working day {rule.working_days} after the opening day",
        "working_time": f"working time: only time on PRC working days counts (whole days); limit {_num(rule.value)} {rule.unit.value}",
    }[rule.mode]
    as_of_text = _local(ctx, store, np.array([ctx.as_of[store]]))[0]
    met, late, overdue, pending, unjudged = (int((o.code == c).sum()) for c in (MET, LATE, OVERDUE, PENDING, UNJUDGED))
    out.lines += [
        ("clock", clock),
        (
            "as of",
            f"{as_of_text} ({ctx.grid.zones[ctx.grid.tz_codes[store]]}): a {d.end} after it counts as not yet given",
        ),
        (
            "counted",
            f"met {met}; breaches {late + overdue} (late {late}, unanswered past the deadline {overdue}); pending {pending} (deadline not passed, not counted)",
        ),
    ]
    if unjudged:
        out.lines.append(
            (
                "not judged",
                f"{unjudged} event(s) need a year the PRC working-day calendar does not know yet (not counted)",
            )
        )
    if met + late + overdue:
        out.lines.append(
            (
                "formula",
                f"attainment = 100 × {met} / {met + late + overdue} = {_num(100.0 * met / (met + late + overdue))} %",
            )
        )
    if late + overdue:
        out.lines.append(("worst delay", f"{_num(float(np.nanmax(o.delay)))} {rule.unit.value} past the deadline"))
        order = np.argsort(-np.nan_to_num(o.delay, nan=-np.inf), kind="stable")[:5]
        order = order[~np.isnan(o.delay[order])]
        frame = placed.frame
        id_col = TABLES[sel.table].columns[0].name
        out.worst = pd.DataFrame(
            {
                id_col: frame[id_col].to_numpy()[rows[order]].astype(str),
                "line": [ctx.dataset.line(sel.table, i) for i in frame.index[rows[order]]],
                d.start: _local(ctx, store, start[order]),
                d.end: _local(ctx, store, np.where(o.code[order] == LATE, end[order], NAT)),
                "elapsed": [_num(round(x, 4)) for x in o.elapsed[order]],
                "delay": [_num(round(x, 4)) for x in o.delay[order]],
                "outcome": ["late" if c == LATE else "unanswered" for c in o.code[order]],
            }
        )


def _audited(out, card, sel, placed, rows) -> None:
    """The audit answers behind a figure, one line each: the audit is the provenance."""
    f = placed.frame
    for i in rows[:12]:
        value = f["measured_value"].iloc[i]
        line = card.context.dataset.line(sel.table, int(f.index[i]))
        note = f["note"].iloc[i] if "note" in f and isinstance(f["note"].iloc[i], str) else ""
        out.lines.append(
            (
                "audit",
                f"{f['audit_date'].iloc[i]:%Y-%m-%d} by {f['auditor'].iloc[i]}: measured {_num(value)}, result {f['result'].iloc[i]} ({card.context.dataset.files[sel.table]} line {line})"
                + (f"; {note}" if note else ""),
            )
        )
    if len(rows) > 12:
        out.lines.append(("audit", f"… and {len(rows) - 12} more"))


def _mean(out, card, row, target, sel, placed, rows, cell):
    if sel.table == "audits":
        _audited(out, card, sel, placed, rows)
    d = target.metric.definition
    what = d.column if d.column else f"{d.end} − {d.start} in {row['unit']}"
    n = int(row["n"])
    if d.kind is MetricKind.mean:
        total = float(row["value"]) * n if n else float("nan")
        out.lines.append(
            (
                "formula",
                f"value = mean of {what}{f' × {_num(d.scale)}' if d.scale != 1 else ''} = {_num(total)} / {n} = {_num(row['value'])} {row['unit']}",
            )
        )
    else:
        out.lines.append(
            (
                "formula",
                f"value = percentile {_num(d.percentile)} of {what} over {n} row(s), interpolated linearly = {_num(row['value'])} {row['unit']}",
            )
        )


def _count(out, card, row, target, sel, placed, rows, cell):
    ctx, d = card.context, target.metric.definition
    width = count_window_months(target.spec, ctx.grid.granularity)
    per = 3 if ctx.grid.granularity == "quarter" else 1
    window = (ctx.grid.first + int(row["period_index"])) * per // width
    first_month, last_month = window * width, window * width + width - 1
    span = format_period(first_month, "month") + (f" to {format_period(last_month, 'month')}" if width > 1 else "")
    mask = (
        mask_rows(ctx, sel)
        & (placed.store == int(row["store_index"]))
        & (placed.month != NAT)
        & (placed.month // width == window)
    )
    found = np.flatnonzero(mask)
    what = f"distinct {d.column}" if d.column else "rows"
    out.lines.append(
        (
            "window",
            f"{span} ({width} month{'s' * (width > 1)}): {what} of {_lines(ctx, sel.table, found)} = {_num(row['n'])}",
        )
    )
    unit_months = {"per_month": 1, "per_quarter": 3, "per_half_year": 6, "per_year": 12}[row["unit"]]
    out.lines.append(
        ("formula", f"value = {_num(row['n'])} × {unit_months} / {width} = {_num(row['value'])} {row['unit']}")
    )


def render_explanations(items: list[Explanation]) -> str:
    """Plain text: a title per target, aligned labels, the worst events as a small table."""
    blocks = []
    for item in items:
        width = max(len(label) for label, _ in item.lines) if item.lines else 0
        text = [item.title, "=" * len(item.title)]
        text += [f"{label:<{width}}  {value}" for label, value in item.lines]
        if item.worst is not None and not item.worst.empty:
            text.append("five worst events:")
            text.append(item.worst.to_string(index=False))
        blocks.append("\n".join(text))
    return "\n\n".join(blocks) + "\n"
