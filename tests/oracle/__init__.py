"""The oracle: the numpy interpreter that scored servicekb before the registry engine, kept as an independent check.

It reads the pandas `Dataset` directly (its own placement of rows on the
grid with `zoneinfo`, its own deadline arithmetic through
`compliance.deadlines.evaluate_deadlines`) and shares with the registry
engine only what a definition means (`definitions.select_rows`) and the
target rows (`targets.build_targets`). `score` is its one entry point,
used by the agreement test and by `bench/score.py`.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from oracle.context import build_context
from oracle.engine import measure
from servicekb.compliance.targets import build_targets

__all__ = ["MEASURED", "score"]

MEASURED = ["value", "n", "ci_low", "ci_high", "breaches", "pending", "worst_delay"]


def score(dataset, corpus, store_ids: list[str], granularity: str = "month", as_of: str | None = None) -> pd.DataFrame:
    """Measures of every target on every cell: spec_id, store_id, period, value, n, ci_low, ci_high, ..., computable."""
    ctx = build_context(dataset, store_ids, granularity, as_of)
    as_of_day = pd.Timestamp(int(ctx.as_of_local.max())).date() if len(store_ids) else dt.date.today()
    stores = dataset.stores[dataset.stores["store_id"].isin(store_ids)]
    targets = build_targets(corpus, stores, ctx.grid, as_of_day)
    grid = ctx.grid
    labels = grid.labels()
    frames = []
    for t in targets.specs:
        m = measure(ctx, t.metric, t.population, t.spec)
        frame = pd.DataFrame({name: getattr(m, name) for name in MEASURED})
        frame.insert(0, "period", labels * len(grid.stores))
        frame.insert(0, "store_id", [s for s in grid.stores for _ in range(grid.count)])
        frame.insert(0, "spec_id", t.spec_id)
        frame["settled"] = m.settled
        frame["reason"] = m.reason
        frame["computable"] = m.computable
        frames.append(frame)
    columns = ["spec_id", "store_id", "period", *MEASURED, "settled", "reason", "computable"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
