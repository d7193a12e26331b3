"""The engine: every target's measures on every grid cell, one pass per table, on whichever backend holds the data.

`measure_targets(ctx, targets)` plans each target with its kind (the
registry of `compliance.kinds`), then, table by table, builds the table's
base projection once (`Context.base`), adds the per-row columns of every
target reading it, and computes all their reductions in ONE
`group_by(store, period).aggregate(...)`. Reductions another target needs
on this table (a ratio's denominator) join the same pass. Only the small
grouped results come back; each kind turns them into `Measures`. A kind
whose window is wider than the period (distinct values per year) adds one
grouped pass of its own.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from servicekb.compliance.context import Context, Needs, run
from servicekb.compliance.definitions import check_definition, select_rows
from servicekb.compliance.kinds import Plan, get_kind
from servicekb.compliance.measures import Measures
from servicekb.compliance.targets import ScoredTarget

__all__ = ["make_plan", "measure_targets", "staged", "stored", "target_label"]


def _missing_columns(ctx: Context, target: ScoredTarget, sel) -> str | None:
    """Optional columns the target needs that the data file does not have (a column with a default is never missing)."""
    from servicekb.datatables import TABLES

    d = target.metric.definition
    kind = get_kind(d.kind)
    needed = [c for c, _ in sel.filters] + kind.columns(d)
    spec = TABLES[sel.table]
    absent = sorted(
        {c for c in needed if spec.column(c) is not None and spec.column(c).default is None}
        - set(c for c in needed if ctx.has_column(sel.table, c))
    )
    return f"the {sel.table} data have no column {', '.join(absent)}" if absent else None


def target_label(target: ScoredTarget) -> str:
    """How a target is named in messages: metric, population and number."""
    return f"{target.metric.id} [{target.population.describe()}] {target.spec.describe()}"


def make_plan(ctx: Context, target: ScoredTarget) -> Plan | Measures:
    """The plan of one target, or blank measures saying why it has no value (or cannot be computed)."""
    size = ctx.grid.size
    d = target.metric.definition
    if d is None:
        return Measures.blank(size, "the metric has no definition over the operational data", computable=False)
    problems = check_definition(target.metric)
    if problems:
        return Measures.blank(size, "definition: " + "; ".join(problems), computable=False)
    kind = get_kind(d.kind)
    sel = select_rows(d, target.population)
    if isinstance(sel, str):
        return Measures.blank(size, sel, computable=False)
    if ctx.table(sel.table) is None:
        return Measures.blank(size, f"no {sel.table} table in the data")
    other = getattr(d, "denominator_table", None)
    if other is not None and ctx.table(other.value) is None:
        return Measures.blank(size, f"no {other.value} table in the data")
    absent = _missing_columns(ctx, target, sel)
    if absent:
        return Measures.blank(size, absent)
    plan = Plan(target, sel, ctx, f"t{target.spec_id}_", target_label(target))
    why = kind.prepare(plan)
    if why is not None:
        return Measures.blank(size, why, computable=False)
    return plan


def _grid_arrays(ctx: Context, result, names: list[str]) -> dict[str, np.ndarray]:
    """Reduced columns of a grouped result as dense arrays over the grid (NaN for cells without rows)."""
    cells = result["_s"].to_numpy(dtype=np.int64) * ctx.grid.count + result["_p"].to_numpy(dtype=np.int64)
    out = {}
    for name in names:
        dense = np.full(ctx.grid.size, np.nan)
        dense[cells] = result[name].to_numpy(dtype=np.float64, na_value=np.nan)
        out[name] = dense
    return out


def staged(rows) -> list[dict]:
    """Per-row columns as a list of stages (a kind may return one dict: a single stage)."""
    if isinstance(rows, dict):
        return [rows]
    return list(rows) or [{}]


def stored(plan: Plan, named: dict) -> dict:
    """A kind's columns or reductions under the names the pass stores them by.

    A name starting with `_` is shared: targets that compute the same thing under the same name (a clock
    of one selection and pair of columns) compute it once. Every other name is the target's own.
    """
    return {(k if k.startswith("_") else plan.key + k): v for k, v in named.items()}


def measure_targets(ctx: Context, targets: list[ScoredTarget], passes: list | None = None) -> dict[int, Measures]:
    """The measures of every target, by spec id; each table's pass (table, Ibis expression) is added to `passes`."""
    out: dict[int, Measures] = {}
    plans: list[Plan] = []
    for target in targets:
        made = make_plan(ctx, target)
        if isinstance(made, Measures):
            out[target.spec_id] = made
        else:
            plans.append(made)
    # Per table, the stages of per-row columns: stage i of every target is added in one projection.
    rows: dict[str, list[dict]] = defaultdict(list)
    reductions: dict[str, dict] = defaultdict(dict)
    needs: dict[str, Needs] = defaultdict(Needs)
    by_table: dict[str, list[Plan]] = defaultdict(list)
    selections: dict[tuple, str] = {}
    for plan in plans:
        kind = get_kind(plan.definition.kind)
        by_table[plan.table].append(plan)
        stages = staged(kind.rows(plan))
        # Targets selecting the same rows share one boolean column.
        key = (plan.table, plan.selection.filters)
        if key not in selections:
            selections[key] = f"_sel{len(selections)}"
            stages = [{selections[key]: plan.selected(), **stages[0]}, *stages[1:]]
        have = rows[plan.table]
        have += [{} for _ in range(len(stages) - len(have))]
        for i, stage in enumerate(stages):
            have[i].update(stored(plan, stage))
        plan.selection_column = selections[key]
        reductions[plan.table].update(stored(plan, kind.reduce(plan)))
        for table, more in kind.reduce_other(plan).items():
            reductions[table].update(stored(plan, more))
        needs[plan.table] = needs[plan.table] | plan.needs
    found: dict[str, np.ndarray] = {}
    windows: dict[int, object] = {}
    for table in sorted(set(reductions) | set(by_table)):
        # Every row a pass reads is inside the grid (`build_context` makes it so): no filter on the period.
        q = ctx.base(table, needs[table], placed_only=False)
        for stage in rows[table]:
            if stage:
                q = q.mutate(**stage)
        for plan in by_table[table]:
            plan.table_expr = q
        if reductions[table]:
            query = q.group_by(["_s", "_p"]).aggregate(**reductions[table])
            if passes is not None:
                passes.append((table, query))
            result = run(query)
            found.update(_grid_arrays(ctx, result, list(reductions[table])))
            periods = result["_p"].to_numpy(dtype=np.int64)
            ctx.placed[table] = (int(periods.min()), int(periods.max())) if len(periods) else None
        for plan in by_table[table]:
            wide = get_kind(plan.definition.kind).window(plan)
            if wide is None:
                continue
            months, metrics = wide
            keyed = q.mutate(_w=q["_m"] // months)
            windows[plan.target.spec_id] = run(keyed.group_by(["_s", "_w"]).aggregate(**metrics))
    for plan in plans:
        kind = get_kind(plan.definition.kind)
        mine = {
            (name if name.startswith("_") else name[len(plan.key) :]): values
            for name, values in found.items()
            if name.startswith(("_", plan.key))
        }
        out[plan.target.spec_id] = kind.finish(plan, mine, windows.get(plan.target.spec_id))
    return out
