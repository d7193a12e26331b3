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

import pandas as pd

from servicekb.compliance.context import run
from servicekb.compliance.definitions import select_rows
from servicekb.compliance.engine import make_plan, staged, stored
from servicekb.compliance.kinds import Explained, get_kind
from servicekb.compliance.measures import Measures
from servicekb.compliance.periods import get_period_bounds
from servicekb.compliance.scorecard import Scorecard
from servicekb.compliance.words import format_number
from servicekb.datatables import TABLES

__all__ = ["ExplainError", "Explanation", "explain_metric", "render_explanations"]

_num = format_number


class ExplainError(LookupError):
    """The store, period or metric asked for is not in the scorecard."""


@dataclass
class Explanation:
    """One target's worked calculation: a title, labelled lines, and the worst events of a deadline."""

    title: str
    lines: list[tuple[str, str]] = field(default_factory=list)
    worst: pd.DataFrame | None = None


def describe_lines(ctx, table: str, rows, limit: int = 12) -> str:
    """`3 rows (lines 4, 7, 9)`: how many rows, and the lines a user can open (row numbers for Parquet)."""
    rows = list(rows)
    numbers = [ctx.relations.line(table, int(i)) for i in rows[:limit]]
    what = "line" if ctx.relations.files.get(table, "").endswith(".csv") else "row"
    shown = ", ".join(map(str, numbers)) + (", …" if len(rows) > limit else "")
    plural = "s" * (len(rows) != 1)
    return f"{len(rows)} row{plural}" + (f" ({what}{plural} {shown})" if len(rows) else "")


def format_local(zone: str, stamps) -> list[str]:
    """UTC wall-clock timestamps as local `YYYY-MM-DD HH:MM` in `zone` (`—` for none)."""
    out = []
    for t in stamps:
        if t is None or pd.isna(t):
            out.append("—")
        else:
            out.append(pd.Timestamp(t).tz_localize("UTC").tz_convert(zone).strftime("%Y-%m-%d %H:%M"))
    return out


def _cell(plan, row, table: str, selected: bool):
    """Rows of `table` in the row's store and period (with the target's per-row columns on its own table)."""
    kind = get_kind(plan.definition.kind)
    stages = [*staged(kind.rows(plan)), *kind.explain_rows(plan)] if table == plan.table else []
    shown = kind.shown(plan, table)
    q = plan.ctx.base(table, plan.needs)
    q = q.filter((q["_s"] == int(row["store_index"])) & (q["_p"] == int(row["period_index"])))
    for stage in stages:
        if stage:
            q = q.mutate(**stored(plan, stage))
    if shown:
        q = q.mutate(**shown)
    return q, (plan.selected() if selected else None)


def fetch_cell(plan, row, table: str | None = None) -> pd.DataFrame:
    """The rows of a scorecard cell a target reads (all rows of another table it reads, e.g. a denominator)."""
    table = table or plan.table
    q, keep = _cell(plan, row, table, table == plan.table)
    if keep is not None:
        q = q.filter(keep)
    return run(q.order_by("_row"))


def fetch_window(plan, row, months: int, window: int) -> pd.DataFrame:
    """The selected rows of the row's store in a window of `months` months (numbered from 1970-01)."""
    q = plan.ctx.base(plan.table, plan.needs)
    q = q.filter((q["_s"] == int(row["store_index"])) & (q["_m"] // months == window))
    return run(q.filter(plan.selected()).order_by("_row"))


def describe_audits(plan, rows: pd.DataFrame, explained: Explained) -> None:
    """The audit answers behind a figure, one line each: the audit is the provenance."""
    ctx = plan.ctx
    file = ctx.relations.files.get(plan.table, plan.table)
    for r in rows.head(12).to_dict("records"):
        note = r.get("note")
        note = note if isinstance(note, str) and note else ""
        line = ctx.relations.line(plan.table, int(r["_row"]))
        explained.lines.append(
            (
                "audit",
                f"{pd.Timestamp(r['audit_date']):%Y-%m-%d} by {r['auditor']}: measured {_num(r['measured_value'])}, "
                f"result {r['result']} ({file} line {line})" + (f"; {note}" if note else ""),
            )
        )
    if len(rows) > 12:
        explained.lines.append(("audit", f"… and {len(rows) - 12} more"))


def _style(kind_name: str) -> str:
    kind = get_kind(kind_name) if kind_name else None
    return kind.verdict if kind is not None else "exact"


def _verdict(row: pd.Series, kind: str) -> str:
    status, comp, t = row["status"], row["comparator"], _num(row["target"])
    target = f"between {t} and {_num(row['target_upper'])}" if comp == "between" else f"{comp} {t}"
    if status in ("no-data", "not-computable"):
        return f"{status}: {row['reason']}"
    if _style(kind) == "interval":
        lo, hi = _num(row["ci_low"]), _num(row["ci_high"])
        rule = {
            ">=": f"pass needs the lower end >= {t}, fail needs the upper end < {t}",
            ">": f"pass needs the lower end > {t}, fail needs the upper end <= {t}",
            "<=": f"pass needs the upper end <= {t}, fail needs the lower end > {t}",
            "<": f"pass needs the upper end < {t}, fail needs the lower end >= {t}",
        }.get(comp, "pass needs the interval inside the target range, fail needs it wholly outside")
        return f"{status}: interval [{lo}, {hi}] against target {target} ({rule})"
    if _style(kind) == "attainment":
        req = row["required"]
        source = "the store profile's service level" if req != 100 else "every decided event must meet the deadline"
        return (
            f"{status}: attainment {_num(row['value'])} % {'>=' if status == 'pass' else '<'} "
            f"required {_num(req)} % ({source})"
        )
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
            f"store {store_id!r} is not in the scorecard "
            f"(stores: {', '.join(sorted(set(frame['store_id']))[:10]) or 'none'})"
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
    kind_name = getattr(target.kind, "value", target.kind) if target.kind else ""
    store, pidx = int(row["store_index"]), int(row["period_index"])
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
        out.lines.append(("verdict", _verdict(row, kind_name)))
        return out
    plan = make_plan(ctx, target)
    if isinstance(plan, Measures):
        out.lines.append(("verdict", _verdict(row, kind_name)))
        return out
    kind = get_kind(d.kind)
    rows = fetch_cell(plan, row)
    file = ctx.relations.files.get(sel.table, sel.table)
    event = TABLES[sel.table].event_time
    out.lines.append(
        (
            "rows",
            f"{file}: store_id = {row['store_id']}, {event} in {row['period']}, {sel.describe()}: "
            f"{describe_lines(ctx, sel.table, rows['_row'].to_numpy())}",
        )
    )
    explained = Explained()
    kind.explain(plan, rows, row, explained)
    out.lines += explained.lines
    out.worst = explained.worst
    out.lines.append(("verdict", _verdict(row, kind_name)))
    return out


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
