"""The vectorised interpreter of metric definitions: one target's measures on every grid cell at once.

`measure(ctx, metric, population, spec)` reads the metric's definition and
returns dense arrays over the stores x periods grid (value, n, interval,
breaches, pending, worst delay, reasons). Each kind is a handful of numpy
passes over the selected rows with `bincount`/`groupby` on the flat cell
index; there is no loop over stores, periods or rows. The definitions stay
data, so the same ones can later be compiled to SQL
(`compliance.reference` does so for DuckDB, as the independent check).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from oracle.context import Context, Placed
from servicekb.compliance.deadlines import LATE, MET, OVERDUE, PENDING, UNJUDGED, evaluate_deadlines, make_deadline_rule
from servicekb.compliance.definitions import Selection, check_definition, parse_expression, select_rows
from servicekb.compliance.periods import NAT, count_months
from servicekb.compliance.stats import compute_wilson
from servicekb.models import Metric, MetricKind, Population
from servicekb.strictness import convert
from servicekb.tailoring.effective import TargetSpec
from servicekb.types import Unit

__all__ = ["Measures", "count_window_months", "evaluate_expression", "find_selected_rows", "mask_rows", "measure"]

_PER_MONTHS = {Unit.per_month: 1, Unit.per_quarter: 3, Unit.per_half_year: 6, Unit.per_year: 12}
_SECONDS = {Unit.second: 1, Unit.minute: 60, Unit.hour: 3600, Unit.day: 86400}


@dataclass
class Measures:
    """Dense arrays over the grid cells; `reason` says why a cell has no value (or why it is undecided)."""

    value: np.ndarray
    n: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    breaches: np.ndarray
    pending: np.ndarray
    worst_delay: np.ndarray
    settled: np.ndarray
    reason: np.ndarray
    computable: bool = True

    @classmethod
    def blank(cls, size: int, reason: str = "", computable: bool = True) -> Measures:
        """Measures without values (no data, or not computable) with one reason for every cell."""
        nan = np.full(size, np.nan)
        return cls(
            nan,
            np.zeros(size),
            nan.copy(),
            nan.copy(),
            nan.copy(),
            nan.copy(),
            nan.copy(),
            np.ones(size, dtype=bool),
            np.full(size, reason, dtype=object),
            computable,
        )


def mask_rows(ctx: Context, sel: Selection) -> np.ndarray:
    """Rows of the selection's table that pass its filters (cached per selection)."""
    if sel not in ctx.masks:
        placed = ctx.tables[sel.table]
        mask = np.ones(len(placed.frame), dtype=bool)
        for column, values in sel.filters:
            col = placed.frame[column]
            if pd.api.types.is_bool_dtype(col.dtype):
                mask &= col.isin(values).fillna(False).to_numpy(dtype=bool)
            else:
                mask &= placed.codes(column, [str(v) for v in values])
        ctx.masks[sel] = mask
    return ctx.masks[sel]


def find_selected_rows(ctx: Context, sel: Selection) -> np.ndarray:
    """Positions of the rows a selection reads that fall in a grid cell."""
    placed = ctx.tables[sel.table]
    return np.flatnonzero(mask_rows(ctx, sel) & (placed.period >= 0))


def _count(cells: np.ndarray, size: int, weights: np.ndarray | None = None) -> np.ndarray:
    return np.bincount(cells, weights=weights, minlength=size).astype(np.float64)


def _cells(ctx: Context, placed: Placed, rows: np.ndarray) -> np.ndarray:
    return ctx.grid.cell(placed.store[rows], placed.period[rows])


def _missing_columns(ctx: Context, metric: Metric, sel: Selection) -> str | None:
    """Optional columns the target needs that the data file does not have (severity defaults to normal)."""
    d = metric.definition
    needed = [c for c, _ in sel.filters] + [c for c in (d.start, d.end, d.column) if c]
    for text in (d.numerator,) if d.denominator_table else (d.numerator, d.denominator):
        expr = parse_expression(text) if text else None
        needed += list(expr.columns) if expr else []
    absent = sorted({c for c in needed if c != "severity" and not ctx.has_column(sel.table, c)})
    return f"the {sel.table} data have no column {', '.join(absent)}" if absent else None


def measure(ctx: Context, metric: Metric, population: Population, spec: TargetSpec) -> Measures:
    """The measures of one target (metric, population, spec) on every grid cell."""
    size = ctx.grid.size
    d = metric.definition
    if d is None:
        return Measures.blank(size, "the metric has no definition over the operational data", computable=False)
    problems = check_definition(metric)
    if problems:
        return Measures.blank(size, "definition: " + "; ".join(problems), computable=False)
    sel = select_rows(d, population)
    if isinstance(sel, str):
        return Measures.blank(size, sel, computable=False)
    if ctx.table(sel.table) is None:
        return Measures.blank(size, f"no {sel.table} table in the data")
    if d.kind is MetricKind.ratio and d.denominator_table is not None and ctx.table(d.denominator_table.value) is None:
        return Measures.blank(size, f"no {d.denominator_table.value} table in the data")
    absent = _missing_columns(ctx, metric, sel)
    if absent:
        return Measures.blank(size, absent)
    kind = d.kind
    if kind is MetricKind.survey_share:
        return _survey_share(ctx, metric, sel)
    if kind is MetricKind.ratio:
        return _ratio(ctx, metric, sel)
    if kind is MetricKind.deadline:
        return _deadline(ctx, metric, sel, spec, f"{metric.id} [{population.describe()}] {spec.describe()}")
    if kind in (MetricKind.mean, MetricKind.percentile):
        return _mean_or_percentile(ctx, metric, sel, spec)
    return _count_per_period(ctx, metric, sel, spec)


def _survey_share(ctx: Context, metric: Metric, sel: Selection) -> Measures:
    d, size = metric.definition, ctx.grid.size
    placed = ctx.tables[sel.table]
    rows = find_selected_rows(ctx, sel)
    values = placed.frame[d.column].to_numpy(dtype=np.float64, na_value=np.nan)[rows]
    rows, values = rows[~np.isnan(values)], values[~np.isnan(values)]
    cells = _cells(ctx, placed, rows)
    n = _count(cells, size)
    sat = _count(cells, size, (values >= d.threshold).astype(np.float64))
    out = Measures.blank(size, "no answers")
    with np.errstate(divide="ignore", invalid="ignore"):
        out.value = np.where(n > 0, d.scale * sat / n, np.nan)
    lo, hi = compute_wilson(sat, n)
    out.ci_low, out.ci_high, out.n = lo * d.scale, hi * d.scale, n
    out.reason = np.where(n > 0, "", out.reason)
    return out


def evaluate_expression(ctx: Context, placed: Placed, text: str, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Values of an expression on rows, and the mask of rows where it is missing."""
    expr = parse_expression(text)
    if expr.form == "count":
        v = np.ones(len(rows))
    elif expr.form == "count_set":
        ts = placed.ns(expr.columns[0])[rows]
        v = ((ts != NAT) & (ts <= ctx.as_of[placed.store[rows]])).astype(np.float64)
    else:
        cols = [placed.frame[c].to_numpy(dtype=np.float64, na_value=np.nan)[rows] for c in expr.columns]
        v = cols[0] - cols[1] if expr.form == "difference" else cols[0]
    return v, np.isnan(v)


def _ratio(ctx: Context, metric: Metric, sel: Selection) -> Measures:
    d, size = metric.definition, ctx.grid.size
    num_table = ctx.tables[sel.table]
    rows = find_selected_rows(ctx, sel)
    num, num_missing = evaluate_expression(ctx, num_table, d.numerator, rows)
    cells = _cells(ctx, num_table, rows)
    numerator = _count(cells, size, np.where(num_missing, 0.0, num))
    missing = _count(cells, size, num_missing.astype(np.float64))
    den_name = d.denominator_table.value if d.denominator_table else sel.table
    if den_name != sel.table:
        den_table = ctx.tables[den_name]
        den_rows = np.flatnonzero(den_table.period >= 0)
    else:
        den_table, den_rows = num_table, rows
    den, den_missing = evaluate_expression(ctx, den_table, d.denominator, den_rows)
    den_cells = _cells(ctx, den_table, den_rows)
    denominator = _count(den_cells, size, np.where(den_missing, 0.0, den))
    missing += _count(den_cells, size, den_missing.astype(np.float64))
    n = _count(den_cells, size)
    out = Measures.blank(size)
    ok = (n > 0) & (missing == 0) & (denominator != 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out.value = np.where(ok, d.scale * numerator / denominator, np.nan)
    out.n = n
    reason = np.where(
        n == 0,
        f"no {den_name} rows",
        np.where(
            missing > 0,
            "empty values in " + np.char.mod("%d", missing.astype(np.int64)).astype(object) + " row(s)",
            np.where(denominator == 0, f"{d.denominator} is 0", ""),
        ),
    )
    out.reason = reason.astype(object)
    return out


def _deadline(ctx: Context, metric: Metric, sel: Selection, spec: TargetSpec, label: str = "") -> Measures:
    d, size = metric.definition, ctx.grid.size
    rule = make_deadline_rule(spec)
    if isinstance(rule, str):
        return Measures.blank(size, rule, computable=False)
    placed = ctx.tables[sel.table]
    rows = find_selected_rows(ctx, sel)
    start, end = placed.ns(d.start)[rows], placed.ns(d.end)[rows]
    as_of = ctx.as_of[placed.store[rows]]
    if rule.mode == "calendar":
        outcome = evaluate_deadlines(rule, start, end, as_of)
    else:
        outcome = evaluate_deadlines(
            rule,
            start,
            end,
            as_of,
            ctx.local(sel.table, d.start)[rows],
            ctx.local(sel.table, d.end)[rows],
            ctx.as_of_local[placed.store[rows]],
        )
    cells = _cells(ctx, placed, rows)
    code = outcome.code
    met = _count(cells, size, (code == MET).astype(np.float64))
    breaches = _count(cells, size, ((code == LATE) | (code == OVERDUE)).astype(np.float64))
    pending = _count(cells, size, (code == PENDING).astype(np.float64))
    unjudged = _count(cells, size, (code == UNJUDGED).astype(np.float64))
    if (code == UNJUDGED).any():
        ctx.unjudged[(sel.table, label)] = rows[code == UNJUDGED]
    decided = met + breaches
    out = Measures.blank(size)
    with np.errstate(divide="ignore", invalid="ignore"):
        out.value = np.where(decided > 0, 100.0 * met / decided, np.nan)
    out.n, out.breaches, out.pending = decided, breaches, pending
    b = (code == LATE) | (code == OVERDUE)
    if b.any():
        worst = pd.Series(outcome.delay[b]).groupby(cells[b]).max()
        out.worst_delay[worst.index.to_numpy()] = worst.to_numpy()
    out.reason = np.where(decided > 0, "", np.where(pending > 0, "every event is still pending", "no events")).astype(
        object
    )
    if unjudged.any():
        note = (
            np.char.mod("%d", unjudged.astype(np.int64)).astype(object)
            + " event(s) need a year the working-day calendar does not know: not judged"
        )
        out.reason = np.where(unjudged > 0, note, out.reason).astype(object)
        # A verdict that events not yet judged could still change is not final.
        out.settled = unjudged == 0
    return out


def _mean_or_percentile(ctx: Context, metric: Metric, sel: Selection, spec: TargetSpec) -> Measures:
    d, size = metric.definition, ctx.grid.size
    placed = ctx.tables[sel.table]
    rows = find_selected_rows(ctx, sel)
    if d.column is not None:
        values = placed.frame[d.column].to_numpy(dtype=np.float64, na_value=np.nan)[rows] * d.scale
        factor = convert(1.0, metric.unit, spec.unit) or 1.0
    else:
        start, end = placed.ns(d.start)[rows], placed.ns(d.end)[rows]
        done = (end != NAT) & (end <= ctx.as_of[placed.store[rows]])
        values = np.where(done, (end - start) / 1e9, np.nan) * d.scale
        factor = 1.0 / _SECONDS.get(spec.unit, 3600)
    keep = ~np.isnan(values)
    rows, values = rows[keep], values[keep] * factor
    cells = _cells(ctx, placed, rows)
    n = _count(cells, size)
    out = Measures.blank(size)
    out.n = n
    if metric.definition.kind is MetricKind.mean:
        with np.errstate(divide="ignore", invalid="ignore"):
            out.value = np.where(n > 0, _count(cells, size, values) / n, np.nan)
    elif len(values):
        q = pd.Series(values).groupby(cells).quantile(d.percentile / 100.0)
        out.value[q.index.to_numpy()] = q.to_numpy()
    out.reason = np.where(n > 0, "", "no rows").astype(object)
    return out


def count_window_months(spec: TargetSpec, granularity: str) -> int:
    """Months counted for a count-per-period target: its unit's window, or the scoring period when longer."""
    return max(_PER_MONTHS.get(spec.unit, 1), count_months(granularity))


def _count_per_period(ctx: Context, metric: Metric, sel: Selection, spec: TargetSpec) -> Measures:
    d, grid = metric.definition, ctx.grid
    if spec.unit not in _PER_MONTHS:
        return Measures.blank(grid.size, f"unit {spec.unit.value} is not a frequency", computable=False)
    placed = ctx.tables[sel.table]
    width = count_window_months(spec, grid.granularity)
    rows = np.flatnonzero(mask_rows(ctx, sel) & (placed.store >= 0) & (placed.month != NAT))
    stores, windows = placed.store[rows], placed.month[rows] // width
    key = pd.DataFrame({"s": stores, "w": windows})
    if d.column is not None:
        key["v"] = placed.frame[d.column].to_numpy()[rows]
        key = key.drop_duplicates()
    counts = key.groupby(["s", "w"]).size()
    # Each grid cell takes the count of the window holding its period.
    per = count_months(grid.granularity)
    cell_store = np.repeat(np.arange(len(grid.stores)), grid.count)
    cell_month = np.tile((grid.first + np.arange(grid.count)) * per, len(grid.stores))
    cell_window = cell_month // width
    found = counts.reindex(pd.MultiIndex.from_arrays([cell_store, cell_window])).fillna(0).to_numpy(dtype=np.float64)
    out = Measures.blank(grid.size)
    out.n = found
    out.value = found * _PER_MONTHS[spec.unit] / width
    as_of_month = (ctx.as_of_local.view("datetime64[ns]").astype("datetime64[M]").astype(np.int64))[cell_store]
    out.settled = as_of_month >= (cell_window + 1) * width
    out.reason = np.where(out.settled, "", "the window is still open at the as-of time").astype(object)
    return out
